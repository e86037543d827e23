/**
 * Files the packed-package test writes into its temporary project, next to the copied examples:
 * a Node import of every non-DOM entry, type checks of every entry (bundler and nodenext
 * resolution, React and Preact JSX), a browser page importing the DOM entries, and a
 * tree-shaking probe for `sideEffects`. They import `agentwire` as a user would, so they live
 * here as text rather than in the repository's type-checked tree.
 */

/** Element tags, in the order the define entries are imported by the browser probe. */
export const TAGS = [
  'agent-run',
  'run-progress',
  'token-stream',
  'agent-log',
  'approval-prompt',
  'run-composer',
] as const;

/** Named exports each runtime entry must have (types-only entries load an empty module). */
export const NODE_ENTRIES: Readonly<Record<string, readonly string[]>> = {
  agentwire: [
    'connectRun',
    'createRun',
    'createRunStore',
    'createTransport',
    'decodeEventText',
    'AgentRun',
    'ApprovalSettleEvent',
  ],
  'agentwire/protocol': ['decodeEventText', 'DEFAULT_PATHS'],
  'agentwire/store': ['createRunStore', 'messageTexts'],
  'agentwire/transports': ['createTransport', 'TransportError'],
  'agentwire/run': ['connectRun', 'createRun', 'startRun'],
  'agentwire/protocols': ['PROTOCOLS', 'loadProtocol', 'agentwire'],
  'agentwire/protocols/plain': ['plain'],
  'agentwire/protocols/ag-ui': ['agUi'],
  'agentwire/protocols/ai-sdk': ['aiSdk', 'createAiSdkProtocol'],
  'agentwire/protocols/openai-responses': ['openaiResponses'],
  'agentwire/components': [
    'AgentRun',
    'RunProgress',
    'TokenStream',
    'AgentLog',
    'ApprovalPrompt',
    'MessageCompleteEvent',
    'defineElement',
  ],
  'agentwire/markdown': [
    'MarkdownRenderer',
    'renderMarkdown',
    'plainText',
    'markdownStyles',
    'adoptMarkdownStyles',
    'isSafeLink',
    'isAllowedImage',
    'normalizeOrigins',
  ],
  'agentwire/define': [],
  ...Object.fromEntries(TAGS.map((tag) => [`agentwire/define/${tag}`, []])),
  'agentwire/react': ['useRun', 'useStore'],
  'agentwire/vue': ['useRun', 'useStore'],
  'agentwire/svelte': ['useRun', 'asReadable'],
  'agentwire/jsx': [],
  'agentwire/jsx/react': [],
  'agentwire/jsx/preact': [],
  'agentwire/jsx/vue': [],
  'agentwire/jsx/svelte': [],
  'agentwire/server': ['createRunKit', 'createRunServer', 'MemoryRunLog', 'HttpError'],
  'agentwire/server/node': ['createNodeHandler', 'listen'],
  'agentwire/server/redis': ['createRedisRunLog', 'RedisRunLog'],
  'agentwire/check': ['checkServer', 'main'],
  'agentwire/inspector': ['createRecorder', 'parseRecording', 'replayRecording', 'AgentInspector', 'TransportCompare'],
  'agentwire/define/agent-inspector': [],
  'agentwire/define/transport-compare': [],
};

/** Entries only a browser can load (checked there: the plain HTML example imports the bundle, and the split CDN build). */
export const BROWSER_ONLY_ENTRIES: readonly string[] = ['agentwire/bundle', 'agentwire/cdn'];

/** JSON entries. */
export const JSON_ENTRIES: readonly string[] = ['agentwire/custom-elements.json', 'agentwire/package.json'];

/** A Node ES module importing every entry in NODE_ENTRIES and JSON_ENTRIES; prints a JSON report. */
export const nodeImportScript = `
const expected = ${JSON.stringify(NODE_ENTRIES)};
const report = {};
for (const [entry, names] of Object.entries(expected)) {
  try {
    const mod = await import(entry);
    const missing = names.filter((name) => mod[name] === undefined);
    report[entry] = missing.length ? 'missing ' + missing.join(', ') : 'ok';
  } catch (err) {
    report[entry] = 'failed: ' + err.message;
  }
}
for (const entry of ${JSON.stringify(JSON_ENTRIES)}) {
  try {
    const mod = await import(entry, { with: { type: 'json' } });
    report[entry] = typeof mod.default === 'object' ? 'ok' : 'not an object';
  } catch (err) {
    report[entry] = 'failed: ' + err.message;
  }
}
console.log(JSON.stringify(report));
`;

/** Imports every entry's types; checked under bundler and nodenext resolution. */
export const entriesTypes = `
import type { AgentRun, ApprovalSettleEvent, ConnectRunOptions, RunHandle, RunStoreState } from 'agentwire';
import { decodeEventText, DEFAULT_PATHS } from 'agentwire/protocol';
import { createRunStore } from 'agentwire/store';
import { createTransport } from 'agentwire/transports';
import { connectRun, createRun } from 'agentwire/run';
import { ApprovalPrompt, MessageCompleteEvent } from 'agentwire/components';
import { MarkdownRenderer, renderMarkdown, isSafeLink, type Highlighter, type MarkdownOptions } from 'agentwire/markdown';
import 'agentwire/define';
${TAGS.map((tag) => `import 'agentwire/define/${tag}';`).join('\n')}
import * as bundle from 'agentwire/bundle';
import * as cdn from 'agentwire/cdn';
import { useRun as useReactRun, useStore as useReactStore } from 'agentwire/react';
import { useRun as useVueRun, useStore as useVueStore } from 'agentwire/vue';
import { useRun as useSvelteRun, asReadable } from 'agentwire/svelte';
import type { AgentwireElements, AgentwireJsxProps } from 'agentwire/jsx';
import type { AgentwireVueProps } from 'agentwire/jsx/vue';
import type { AgentwireSvelteProps } from 'agentwire/jsx/svelte';
import { createRunKit, createRunServer, MemoryRunLog, type ProducerRun } from 'agentwire/server';
import { checkServer, type CheckReport } from 'agentwire/check';
import manifest from 'agentwire/custom-elements.json' with { type: 'json' };
import pkg from 'agentwire/package.json' with { type: 'json' };

const options: ConnectRunOptions = { baseUrl: 'http://127.0.0.1:8787', runId: 'run-1', transport: 'sse', paths: { stream: DEFAULT_PATHS.stream } };
const handle: RunHandle = connectRun(options);
const state: RunStoreState = handle.$state.get();
const prompt: HTMLElementTagNameMap['approval-prompt'] = new ApprovalPrompt();
prompt.run = handle;
const agentRun: AgentRun = document.createElement('agent-run');
agentRun.paths = { socket: '/ws/{id}' };
document.addEventListener('approval-settle', (event: ApprovalSettleEvent) => event.accepted);
document.addEventListener('message-complete', (event) => event.text.length);
const same: typeof connectRun = bundle.connectRun;
const sameFromCdn: typeof connectRun = cdn.connectRun;
const fromReact: { run: RunHandle | undefined; state: RunStoreState | undefined } = useReactRun(options);
const status: RunStoreState['status'] | undefined = useReactStore(handle.store.$status);
const fromVue: RunHandle | undefined = useVueRun(() => options).run.value;
const text = useVueStore(handle.store.$text).value.chunks;
const fromSvelte: RunHandle = useSvelteRun(options);
const readable = asReadable(handle.store.$status).subscribe(() => undefined);
const props: AgentwireJsxProps<'approval-prompt'> = { run: handle, 'no-autofocus': true, 'onapproval-settle': (e) => e.accepted };
const tags: (keyof AgentwireElements)[] = ['agent-run', 'approval-prompt'];
const vueProps: AgentwireVueProps<'agent-run'> = { run: handle, transport: 'hybrid', id: 'console' };
const svelteProps: AgentwireSvelteProps<'approval-prompt'> = { run: handle, 'onapproval-settle': (e) => e.accepted, class: 'prompt' };
// @ts-expect-error: a transport agentwire does not have
const badTransport: AgentwireVueProps<'agent-run'> = { transport: 'carrier-pigeon' };
const backend = createRunServer({
  runs: createRunKit({ log: new MemoryRunLog() }),
  onCreate: () => ({ produce: (run: ProducerRun) => run.token('hi') }),
});
const answered: Promise<Response> = backend.fetch(new Request('http://x/api/runs', { method: 'POST' }));
const report: Promise<CheckReport> = checkServer({ baseUrl: 'http://127.0.0.1:8787' });
const highlight: Highlighter = (code, language) => (language === 'ts' ? code : null);
const markdownOptions: MarkdownOptions = { linkTarget: '', imageOrigins: ['https://images.example.com'], highlight };
const renderer = new MarkdownRenderer(document.createElement('div'), markdownOptions);
renderer.append('**bold**');
const rendered: DocumentFragment = renderMarkdown(renderer.text, markdownOptions);
const safe: boolean = isSafeLink('https://example.com', document.baseURI);
const version: string = pkg.version;
const modules: number = manifest.modules.length;
void [decodeEventText, createRunStore, createTransport, createRun, MessageCompleteEvent, state, same, sameFromCdn, fromReact, status, fromVue, text, fromSvelte, readable, props, tags, vueProps, svelteProps, badTransport, rendered, safe, version, modules, answered, report];
`;

/** React 19 JSX: checked props, attributes and events (agentwire/react brings the JSX types). */
export const reactTsx = `
import type { MessageCompleteEvent, RunHandle } from 'agentwire';
import { useRun } from 'agentwire/react';

export function Console({ runId }: { runId: string }) {
  const { run, state } = useRun({ baseUrl: 'http://127.0.0.1:8787', runId });
  return (
    <agent-run run={run} className="console" style={{ display: 'grid' }} data-state={state?.status}>
      <run-progress label="Progress" />
      <token-stream label="Answer" onmessage-complete={(e) => e.text.toUpperCase()} />
      <approval-prompt no-autofocus onapproval-settle={(e) => e.accepted} onapproval-submit={(e) => { e.text = 'yes'; }} />
      <agent-log ref={(el) => { void el?.label; }} />
    </agent-run>
  );
}

export const byAttributes = <agent-run base-url="http://127.0.0.1:8787" run-id="r1" transport="websocket" socket-path="/ws/{id}" paths={{ stream: '/s/{id}' }} query={{ a: 'b' }} />;
export const withHandle = (handle: RunHandle) => <token-stream run={handle} />;
// @ts-expect-error not a transport
export const badTransport = <agent-run transport="carrier-pigeon" />;
// @ts-expect-error run is a RunHandle, not a string
export const badRun = <token-stream run="run-1" />;
// @ts-expect-error the handler receives ApprovalSettleEvent
export const badHandler = <approval-prompt onapproval-settle={(e: MessageCompleteEvent) => e.text} />;
// @ts-expect-error no-autofocus is a boolean
export const badAttribute = <approval-prompt no-autofocus="maybe" />;
// @ts-expect-error phase is read-only state, not a prop
export const readOnly = <approval-prompt phase="open" />;
`;

/** Preact JSX through agentwire/jsx/preact. */
export const preactTsx = `
import type {} from 'agentwire/jsx/preact';
import type { MessageCompleteEvent, RunHandle } from 'agentwire';

export const ok = (run: RunHandle) => (
  <agent-run run={run} class="console">
    <token-stream label="Answer" onmessage-complete={(e) => e.messageId} />
    <approval-prompt onapproval-settle={(e) => e.accepted} />
  </agent-run>
);
// @ts-expect-error not a transport
export const badTransport = <agent-run transport="carrier-pigeon" />;
// @ts-expect-error the handler receives ApprovalSettleEvent
export const badHandler = <approval-prompt onapproval-settle={(e: MessageCompleteEvent) => e.text} />;
`;

const compilerOptions = {
  target: 'ES2022',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  types: [],
};

/** tsconfig files of the type checks, by file name. */
export const tsconfigs: Readonly<Record<string, object>> = {
  'tsconfig.bundler.json': {
    compilerOptions: { ...compilerOptions, module: 'ESNext', moduleResolution: 'bundler', jsx: 'react-jsx' },
    files: ['entries.ts', 'react.tsx'],
  },
  'tsconfig.nodenext.json': {
    compilerOptions: { ...compilerOptions, module: 'NodeNext', moduleResolution: 'NodeNext' },
    files: ['entries.ts'],
  },
  'tsconfig.preact.json': {
    compilerOptions: {
      ...compilerOptions,
      module: 'ESNext',
      moduleResolution: 'bundler',
      jsx: 'react-jsx',
      jsxImportSource: 'preact',
    },
    files: ['preact.tsx'],
  },
  // Our declaration files under a consumer's full lib check (third-party ones are checked too).
  'tsconfig.libcheck.json': {
    compilerOptions: {
      ...compilerOptions,
      skipLibCheck: false,
      module: 'ESNext',
      moduleResolution: 'bundler',
      jsx: 'react-jsx',
    },
    files: ['entries.ts', 'react.tsx'],
  },
};

/** A Vite page importing the DOM entries one by one, recording which tags each registered (and rendering markdown). */
export const entriesPage = {
  'index.html':
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>entries</title></head><body><script type="module" src="./main.ts"></script></body></html>\n',
  'main.ts': `
const tags = ${JSON.stringify(TAGS)};
const defined = (): string[] => tags.filter((tag) => customElements.get(tag) !== undefined);
const report: Record<string, unknown> = {};
try {
  // The markdown renderer on its own: it renders (safely) and registers no element.
  const markdown = await import('agentwire/markdown');
  const box = document.createElement('div');
  box.append(markdown.renderMarkdown('**bold** [refused](javascript:alert(1)) [kept](https://example.com)'));
  report['agentwire/markdown'] = [box.querySelector('strong')?.textContent ?? null, box.querySelectorAll('a').length, defined()];
  const main = await import('agentwire');
  report['agentwire'] = defined();
  await import('agentwire/components');
  report['agentwire/components'] = defined();
  await import('agentwire/define/token-stream');
  report['agentwire/define/token-stream'] = defined();
  await import('agentwire/define/approval-prompt');
  report['agentwire/define/approval-prompt'] = defined();
  await import('agentwire/define/agent-run');
  await import('agentwire/define/run-progress');
  await import('agentwire/define/agent-log');
  await import('agentwire/define/run-composer');
  report['every define/<tag>'] = defined();
  await import('agentwire/define');
  report['agentwire/define'] = defined();
  report['one class per tag'] = customElements.get('agent-run') === main.AgentRun && customElements.get('approval-prompt') === main.ApprovalPrompt;
  const el = document.body.appendChild(document.createElement('approval-prompt'));
  await el.updateComplete;
  report['upgraded'] = el instanceof main.ApprovalPrompt && el.shadowRoot !== null;
} catch (err) {
  report['error'] = String(err);
}
(window as unknown as { entriesReport: unknown }).entriesReport = report;
`,
};

/** A Vite page importing only the store from the main entry: with `sideEffects` honoured, no element code ships. */
export const shakePage = {
  'index.html':
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>shake</title></head><body><script type="module" src="./main.ts"></script></body></html>\n',
  'main.ts':
    "import { createRunStore } from 'agentwire';\ndocument.title = createRunStore('probe').$state.get().status;\n",
};
