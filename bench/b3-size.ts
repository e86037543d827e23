/**
 * B3 — bundle sizes, measured the way a user's production build would see them: each entry is
 * bundled by esbuild with minification and tree shaking (ESM, es2022, NODE_ENV=production), then
 * gzipped at level 9. Our budgets apply to our own code (runtime dependencies external);
 * the figures with dependencies bundled, and deep-chat's and @ai-sdk/react's sizes, come from the
 * same measurement. `npm run size` runs this alone: the budgets are reported there as targets
 * (met or missed), and the exit code comes from the regression ceilings in bench/size-ceilings.json.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import pkg from '../package.json' with { type: 'json' };
import type { BenchContext } from './lib/context.ts';
import { row, type BenchResult, type Row } from './lib/report.ts';
import { fmt, kib, times } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Bytes of 1 KiB. */
const KIB = 1024;
/** The issue's budgets, gzip bytes. */
export const BUDGETS = { core: 3 * KIB, all: 12 * KIB } as const;

/** One measured bundle. */
export interface BundleSize {
  name: string;
  minified: number;
  gzip: number;
  brotli: number;
  /** Biggest contributors to the minified output: [module, bytes]. */
  top: [string, number][];
  /** Every module in the output with its minified bytes, biggest first (`npm run size -- --why`). */
  modules: [string, number][];
  /** Protocol modules (other than agentwire) bundled in: none for a page that speaks only agentwire. */
  protocolModules: string[];
}

const asExternal = (names: readonly string[]): string[] => names.flatMap((n) => [n, `${n}/*`]);
/** Every runtime dependency of the package (what "deps external" leaves out). */
const DEPS = asExternal(Object.keys(pkg.dependencies));
/** The lit family only: "without lit". */
const LIT = asExternal(['lit', 'lit-html', 'lit-element', '@lit/reactive-element']);
/** React, for @ai-sdk/react (the framework, as lit is ours). */
const REACT = asExternal(['react', 'react-dom']);

/**
 * Paths the elements load with `import()` on first use, each measured as its own row: the markdown
 * path when an element's format is markdown (`<token-stream>`: markdown-message-view.ts,
 * `<agent-log>`: markdown-text.ts) and `<approval-prompt>`'s form path when a request carries a
 * response_schema (schema-form-chunk.ts), and `<agent-log>`'s `<template data-tool>` renderers when it
 * has such templates (tool-template.ts), and `<token-stream>`'s `<template data-role="user">` turns when it
 * has one (user-template.ts). A user's bundler puts each in a chunk of its own.
 * esbuild without code splitting would inline them, so for the element bundles they are left as
 * external chunks (what a page showing text and asking no form downloads).
 */
const lazyElementChunks: Plugin = {
  name: 'lazy-element-chunks',
  setup(b) {
    b.onResolve(
      { filter: /(markdown-message-view|markdown-text|schema-form-chunk|tool-template|user-template)\.ts$/ },
      (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined),
    );
  },
};

/** The protocols besides agentwire: each is its own entry, loaded with `import()` when named. */
export const PROTOCOL_MODULES = ['plain', 'ag-ui', 'ai-sdk', 'openai-responses'] as const;
const PROTOCOL_DIR = /src\/protocols\/(plain|ag-ui|ai-sdk|openai-responses|shared)\//;

/**
 * The registry loads every protocol but agentwire with `import()`: a user's bundler splits each
 * into a chunk a page downloads only when it names that protocol. Left external here, as the
 * markdown chunk is, so the core bundles measure what a page speaking agentwire loads.
 */
const lazyProtocolChunks: Plugin = {
  name: 'lazy-protocol-chunks',
  setup(b) {
    // The protocols, and the stream transport and start the stream protocols load with them.
    b.onResolve(
      { filter: /(\/(plain|ag-ui|ai-sdk|openai-responses)\/index|\/transports\/stream|start-stream)\.ts$/ },
      (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined),
    );
  },
};

/** Bundle `contents` (an entry module at the repo root) and measure it. */
async function measure(name: string, contents: string, external: readonly string[]): Promise<BundleSize> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: `${name.replace(/\W+/g, '-')}.ts` },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    metafile: true,
    external: [...external],
    tsconfig: join(ROOT, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [lazyElementChunks, lazyProtocolChunks],
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values(result.metafile.outputs)[0]!;
  const modules = Object.entries(output.inputs)
    .map(([file, info]): [string, number] => [
      file.replace(/^.*node_modules\//, '').replace(/^src\//, ''),
      info.bytesInOutput,
    ])
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1]);
  const top = modules.slice(0, 6);
  const protocolModules = Object.keys(output.inputs).filter((file) => PROTOCOL_DIR.test(file));
  return {
    name,
    protocolModules,
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    top,
    modules,
  };
}

/** The entry of "all elements + store + all transports": `agentwire` plus `agentwire/define` (every element registered). */
function allEntry(): string {
  const lines = ["export * from './src/index.ts';"];
  for (const name of elementsFound()) lines.push(`import './src/components/${name}/define.ts';`);
  return lines.join('\n');
}

/** The dev elements (agentwire/inspector): measured on their own, never part of "all". */
export const DEV_ELEMENTS: readonly string[] = ['agent-inspector', 'transport-compare'];

/** Element define modules found (what "all elements" covers today; the dev elements are not in it). */
export function elementsFound(): string[] {
  const dir = join(ROOT, 'src/components');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'define.ts')) && !DEV_ELEMENTS.includes(d.name))
    .map((d) => d.name);
}

/** The dev tools entry with both dev elements registered (what a page importing them loads beyond the core). */
const INSPECTOR = [
  "export * from './src/inspector/index.ts';",
  ...DEV_ELEMENTS.map((name) => `import './src/components/${name}/define.ts';`),
].join('\n');

/** The markdown path `<token-stream format="markdown">` loads on first use (`import()`). */
const MARKDOWN = "export * from './src/components/token-stream/markdown-message-view.ts';";
/** The form path `<approval-prompt>` loads the first time a request carries a response_schema (`import()`). */
const SCHEMA_FORM = "export * from './src/components/approval-prompt/schema-form-chunk.ts';";
/** The code of `<agent-log>`'s `<template data-tool>` renderers, loaded when a log has such templates (`import()`). */
const TOOL_TEMPLATE = "export * from './src/components/agent-log/tool-template.ts';";
/** The code of `<token-stream>`'s `<template data-role="user">` turns, loaded when a stream has one (`import()`). */
const USER_TEMPLATE = "export * from './src/components/token-stream/user-template.ts';";
/** Loaded by the markdown chunk only when a highlighter returns HTML. */
const MARKDOWN_SANITIZE = "export * from './src/markdown/sanitize.ts';";

const CORE =
  "export { createRunStore } from './src/store/index.ts';\nexport { createSseTransport } from './src/transports/index.ts';";
/** The run API as a page uses it: connectRun / startRun with the transports and the agentwire protocol. */
const RUN_API = "export { connectRun, startRun } from './src/run/index.ts';";
const protocolEntry = (name: string): string => `export * from './src/protocols/${name}/index.ts';`;

const CORE_DIRECT =
  "export { createRunStore } from './src/store/index.ts';\nexport { createSseTransport } from './src/transports/sse.ts';";

/** Every bundle B3 reports. */
export async function measureSizes(): Promise<Record<string, BundleSize>> {
  const all = allEntry();
  const entries: [string, string, readonly string[]][] = [
    ['core', CORE, DEPS],
    ['core, sse.ts imported directly', CORE_DIRECT, DEPS],
    ['core + nanostores + eventsource-parser', CORE, LIT],
    ['all', all, DEPS],
    ['all + deps except lit', all, LIT],
    ['all + deps + lit', all, []],
    ['run API (connectRun + startRun), protocols not loaded', RUN_API, DEPS],
    ...PROTOCOL_MODULES.map((name): [string, string, readonly string[]] => [
      `protocol ${name}`,
      protocolEntry(name),
      DEPS,
    ]),
    ['protocol ag-ui + immutable-json-patch', protocolEntry('ag-ui'), LIT],
    ['run API + stream transport and start', `${RUN_API}\nexport * from './src/run/start-stream.ts';`, DEPS],
    ['markdown chunk', MARKDOWN, DEPS],
    ['markdown chunk + markdown-it + remend', MARKDOWN, [...LIT, ...asExternal(['dompurify'])]],
    ['markdown sanitiser chunk (DOMPurify, with a highlighter)', MARKDOWN_SANITIZE, LIT],
    ['approval form chunk (response_schema)', SCHEMA_FORM, DEPS],
    ['agent-log tool template chunk', TOOL_TEMPLATE, DEPS],
    ['token-stream user template chunk', USER_TEMPLATE, DEPS],
    ['inspector (dev tools entry + both dev elements)', INSPECTOR, DEPS],
    ['deep-chat', "export * from 'deep-chat';", []],
    ['@ai-sdk/react useChat', "export { useChat } from '@ai-sdk/react';", REACT],
    ['@ai-sdk/react (all exports)', "export * from '@ai-sdk/react';", REACT],
  ];
  const out: Record<string, BundleSize> = {};
  for (const [name, contents, external] of entries) out[name] = await measure(name, contents, external);
  return out;
}

const top = (b: BundleSize): string => b.top.map(([file, bytes]) => `${file} ${fmt(bytes / 1024, 2)}k`).join(', ');

/** Protocol modules found in bundles that must carry none (a page speaking agentwire pays for no other decoder). */
export function coreProtocols(s: Record<string, BundleSize>): string[] {
  const core = [
    'core',
    'core, sse.ts imported directly',
    'run API (connectRun + startRun), protocols not loaded',
    'all',
  ];
  return core.flatMap((name) => (s[name]?.protocolModules ?? []).map((file) => `${name}: ${file}`));
}

/** The B3 rows: the issue's budgets as targets, `met` or `missed` with the margin. */
export function sizeRows(s: Record<string, BundleSize>): Row[] {
  const over = (bytes: number, budget: number): string =>
    bytes <= budget
      ? `${kib(budget - bytes)} under (${times(bytes / budget)} of budget)`
      : `+${kib(bytes - budget)} over (${times(bytes / budget)} of budget)`;
  const core = s['core']!;
  const all = s['all']!;
  const verdict = (bytes: number, budget: number): Row['verdict'] => (bytes <= budget ? 'met' : 'missed');
  const deepChat = s['deep-chat']!;
  const aiSdk = s['@ai-sdk/react useChat']!;
  return [
    row({
      bench: 'B3',
      case: 'store + one transport (sse), deps external',
      metric: 'min+gzip -9 (via the public entries)',
      ours: `${kib(core.gzip)} (${kib(core.minified)} min)`,
      versus: `sse.ts imported directly ${kib(s['core, sse.ts imported directly']!.gzip)} · with nanostores+eventsource-parser ${kib(s['core + nanostores + eventsource-parser']!.gzip)}`,
      ratio: '',
      target: `≤ ${kib(BUDGETS.core)}`,
      verdict: verdict(core.gzip, BUDGETS.core),
      margin: over(core.gzip, BUDGETS.core),
    }),
    row({
      bench: 'B3',
      case: 'all elements + store + all transports, deps external',
      metric: 'min+gzip -9',
      ours: `${kib(all.gzip)} (${kib(all.minified)} min)`,
      versus: `+ deps except lit ${kib(s['all + deps except lit']!.gzip)} · + lit ${kib(s['all + deps + lit']!.gzip)}`,
      ratio: '',
      target: `≤ ${kib(BUDGETS.all)}`,
      verdict: verdict(all.gzip, BUDGETS.all),
      margin: over(all.gzip, BUDGETS.all),
    }),
    row({
      bench: 'B3',
      case: 'markdown path (P2): the chunk format="markdown" loads',
      metric: 'min+gzip -9',
      ours: `${kib(s['markdown chunk + markdown-it + remend']!.gzip)} with markdown-it + remend`,
      versus: `our code alone ${kib(s['markdown chunk']!.gzip)} · DOMPurify chunk (only with a highlighter returning HTML) ${kib(s['markdown sanitiser chunk (DOMPurify, with a highlighter)']!.gzip)} · format="text" loads none of it (all: ${kib(all.gzip)})`,
      ratio: '',
      verdict: 'info',
    }),
    row({
      bench: 'B3',
      case: "element code loaded on first use: <approval-prompt>'s form path (a request with a response_schema)",
      metric: 'min+gzip -9',
      ours: kib(s['approval form chunk (response_schema)']!.gzip),
      versus: `not in "all" (${kib(all.gzip)}): loaded the first time a request carries a response_schema · <agent-log>'s <template data-tool> renderers likewise, when a log has such templates: ${kib(s['agent-log tool template chunk']!.gzip)}; <token-stream>'s <template data-role="user"> likewise: ${kib(s['token-stream user template chunk']!.gzip)}`,
      ratio: '',
      verdict: 'info',
    }),
    row({
      bench: 'B3',
      case: 'protocols: each its own chunk, loaded when named (deps external)',
      metric: 'min+gzip -9',
      ours: PROTOCOL_MODULES.map((name) => `${name} ${kib(s[`protocol ${name}`]!.gzip)}`).join(' · '),
      versus: `ag-ui with immutable-json-patch ${kib(s['protocol ag-ui + immutable-json-patch']!.gzip)} · the stream transport and start they load add ${kib(s['run API + stream transport and start']!.gzip - s['run API (connectRun + startRun), protocols not loaded']!.gzip)} to the run API · the core without them: store + sse ${kib(core.gzip)}, run API ${kib(s['run API (connectRun + startRun), protocols not loaded']!.gzip)}, all ${kib(all.gzip)}`,
      ratio: '',
      verdict: coreProtocols(s).length === 0 ? 'met' : 'failed',
      margin:
        coreProtocols(s).length === 0
          ? 'no protocol module in core, run API or all'
          : `protocol modules bundled: ${coreProtocols(s).join(', ')}`,
    }),
    row({
      bench: 'B3',
      case: 'dev tools (agentwire/inspector + <agent-inspector> + <transport-compare>), deps external',
      metric: 'min+gzip -9',
      ours: kib(s['inspector (dev tools entry + both dev elements)']!.gzip),
      versus: `not in "all" (${kib(all.gzip)}) nor in the bundle: loaded only by pages that import it`,
      ratio: '',
      verdict: 'info',
    }),
    row({
      bench: 'B3',
      case: 'peers, same method (everything a page ships but the framework)',
      metric: 'min+gzip -9',
      ours: `${kib(s['all + deps except lit']!.gzip)} all + deps except lit`,
      versus: `deep-chat ${kib(deepChat.gzip)} (no framework; ours + lit ${kib(s['all + deps + lit']!.gzip)}) · @ai-sdk/react useChat ${kib(aiSdk.gzip)} (all exports ${kib(s['@ai-sdk/react (all exports)']!.gzip)}), react external`,
      ratio: `${times(deepChat.gzip / s['all + deps + lit']!.gzip)} smaller than deep-chat · ${times(aiSdk.gzip / s['all + deps except lit']!.gzip)} smaller than useChat`,
      verdict: 'info',
    }),
  ];
}

/** Run B3. */
export async function runB3(_ctx: BenchContext): Promise<BenchResult> {
  const started = performance.now();
  const sizes = await measureSizes();
  const found = elementsFound();
  return {
    id: 'B3',
    title: 'bundle sizes',
    rows: sizeRows(sizes),
    data: { sizes, budgets: BUDGETS, elements: found },
    notes: [
      `B3 method: esbuild bundle+minify+tree-shake, ESM es2022, NODE_ENV=production, gzip level 9 (brotli in results.json). ` +
        `"deps external" leaves out ${Object.keys(pkg.dependencies).join(', ')}. Elements found: ${found.join(', ') || 'none'}.`,
      `B3 biggest parts of store + sse: ${top(sizes['core']!)}.`,
      `B3 biggest parts of all: ${top(sizes['all']!)}.`,
    ],
    durationMs: performance.now() - started,
  };
}
