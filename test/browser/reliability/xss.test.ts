/**
 * XSS: the corpus of mock-server/xss-corpus.ts goes through every text field the elements show —
 * tokens and message ids, progress messages, step names, tool names, arguments and results, log
 * lines, run errors and client errors, unknown event types and data, approval prompts, choices
 * and refusals — rendered by the real elements in Chromium, fed through a store and through the
 * mock server (`xss` scenario) over SSE, WebSocket and polling. A page-level tripwire checks that
 * no payload ran (`window.__xss`), that no HTML sink ever received payload code, that no element
 * or attribute was created from content (every element added anywhere is compared with what
 * benign content renders, and none has a handler or a script URL), and that each payload shows
 * as text, verbatim.
 */
import {
  barrier,
  deepElements,
  deepText,
  executions,
  forget,
  learn,
  seenElements,
  sinkHits,
  violations,
  type Baseline,
} from './xss-tripwire.ts';
import { report } from './probes.ts';
import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import '../../../src/components/define.ts';
import type { ClientErrorCode, RunEvent } from '../../../src/protocol/index.ts';
import { createLocalRun } from '../../../src/run/index.ts';
import type { RunHandle } from '../../../src/run/types.ts';
import { createRunStore, type RunStore, type TypedError } from '../../../src/store/index.ts';
import { XSS_HIT, XSS_PAYLOADS } from '../../../mock-server/xss-corpus.ts';
import { XSS_CHOICES } from '../../../mock-server/scenarios.ts';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';

type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'run_id' | 'seq'> : never) : never;

/** Fields that show their text verbatim, each tagged so its own presence can be checked. */
const SHOWN_FIELDS = [
  'token',
  'progress',
  'step',
  'tool',
  'result',
  'orphan-result',
  'log',
  'error',
  'unknown',
  'client-error',
  'prompt',
  'choice',
  'refusal',
] as const;
const tag = (
  payload: string,
  field: (typeof SHOWN_FIELDS)[number] | 'args' | 'message-id' | 'data' | 'code' | 'connection',
): string => `${payload}⟦${field}⟧`;

/** A refusal as a server would send it: an error with the server's code. */
const refusalOf = (message: string): Error & TypedError<string> =>
  Object.assign(new Error(message), { code: 'stale_resume_token' });

/** A run handle over a store the test feeds (no network); its answers are refused with `refusal`. */
function fedRun(runId: string): RunHandle & { feed(...events: EventBody[]): void; refusal: Error } {
  const store: RunStore = createRunStore(runId);
  let seq = 0;
  const handle = createLocalRun({
    runId,
    store,
    reply: () => Promise.reject(fed.refusal),
    cancel: () => Promise.resolve(),
  });
  const fed = Object.assign(handle, {
    refusal: refusalOf('refused'),
    feed(...events: EventBody[]) {
      store.applyAll(events.map((event) => ({ ...event, run_id: runId, seq: ++seq })));
    },
  });
  return fed;
}

/** Every field of every event type (and the client-side ones) carrying `payload`. */
function feedEverything(run: ReturnType<typeof fedRun>, payload: string): void {
  run.feed(
    { type: 'status', state: 'running' },
    { type: 'step', name: tag(payload, 'step'), state: 'started' },
    { type: 'progress', pct: 40, message: tag(payload, 'progress') },
    { type: 'token', content: tag(payload, 'token'), message_id: tag(payload, 'message-id') },
    { type: 'log', level: 'warn', message: tag(payload, 'log') },
    {
      type: 'tool_call',
      call_id: 'c1',
      name: tag(payload, 'tool'),
      args: { html: tag(payload, 'args'), list: [payload] },
    },
    { type: 'tool_result', call_id: 'c1', summary: tag(payload, 'result'), ok: false },
    { type: 'tool_result', call_id: 'c-none', summary: tag(payload, 'orphan-result') },
    { type: 'error', message: tag(payload, 'error'), code: tag(payload, 'code'), retryable: true },
    { type: 'unknown', event_type: tag(payload, 'unknown'), data: { html: tag(payload, 'data') } },
    {
      type: 'need_input',
      prompt: tag(payload, 'prompt'),
      resume_token: 'T1',
      choices: [tag(payload, 'choice'), 'yes'],
    },
  );
  // Client errors carry the kit's own codes; a hostile one is shown as text all the same.
  run.store.reportError({ code: tag(payload, 'code') as ClientErrorCode, message: tag(payload, 'client-error') });
  run.refusal = refusalOf(tag(payload, 'refusal'));
  void run.reply(payload, { resumeToken: 'T1' }).catch(() => undefined);
  run.store.setConnection({
    status: 'reconnecting',
    attempt: 2,
    error: { code: 'network', message: tag(payload, 'connection') },
  });
}

const ELEMENTS = ['agent-run', 'run-progress', 'token-stream', 'agent-log', 'approval-prompt'];

/** Every element in the hosts has rendered, frames have run and the tripwire barrier passed. */
async function rendered(...hosts: HTMLElement[]): Promise<void> {
  for (const host of hosts) {
    for (const name of ELEMENTS)
      for (const element of host.querySelectorAll(name))
        await (element as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
  }
  await barrier();
}

/** Open every tool call's arguments, so they render too. */
async function expandTools(...hosts: HTMLElement[]): Promise<void> {
  for (const host of hosts) {
    const log = host.querySelector('agent-log');
    for (const summary of log?.shadowRoot?.querySelectorAll<HTMLElement>('[part~="tool-summary"]') ?? [])
      summary.click();
  }
  await rendered(...hosts);
}

/** Scroll the (virtualised) log from top to bottom so every row renders at some point. */
async function scrollThroughLog(host: HTMLElement): Promise<void> {
  const list = host.querySelector('agent-log')?.shadowRoot?.querySelector<HTMLElement>('[part~="list"]');
  if (!list) return;
  for (let top = 0; top <= list.scrollHeight; top += Math.max(50, list.clientHeight)) {
    list.scrollTop = top;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  await rendered(host);
}

/**
 * The log's virtualizer jumps while hundreds of rows arrive or scroll by; its ResizeObserver then
 * needs a second pass, which Chromium reports as a benign window error ("ResizeObserver loop
 * completed with undelivered notifications"). Swallow exactly that one while a test runs.
 */
function ignoreResizeObserverLoops(): () => void {
  const original = window.onerror;
  const loop = (message: unknown): boolean => String(message).includes('ResizeObserver loop');
  window.onerror = (message, ...rest) => loop(message) || original?.call(window, message, ...rest) === true;
  // The test runner also logs each window error's `error` object (null for this one): not noise of ours.
  const levels = ['log', 'warn', 'error'] as const;
  const consoles = levels.map((level) => console[level].bind(console));
  for (const [i, level] of levels.entries()) {
    const write = consoles[i]!;
    console[level] = (...args: unknown[]): void => {
      const current = (window as { event?: Event }).event;
      if (current instanceof ErrorEvent && loop(current.message)) return;
      write.apply(console, args);
    };
  }
  return () => {
    window.onerror = original;
    for (const [i, level] of levels.entries()) console[level] = consoles[i]!;
  };
}

function mount(content: unknown): HTMLElement {
  const host = document.createElement('div');
  // Fixed at the top of the viewport (overlapping): the virtualised log renders rows only when on screen.
  host.style.cssText = 'position: fixed; top: 0; left: 0; width: 40rem';
  document.body.append(host);
  render(content, host);
  for (const element of [host, ...host.querySelectorAll('*')]) fixtures.add(element);
  return host;
}

const tree = (run: RunHandle): unknown =>
  html`<agent-run .run=${run}
    ><run-progress></run-progress><token-stream></token-stream><agent-log></agent-log
    ><approval-prompt no-autofocus></approval-prompt
  ></agent-run>`;

/** The elements a test mounted itself (the host and the agentwire elements in it): not content. */
const fixtures = new WeakSet<Element>();

/** Everything the tripwire saw since `forget()`, plus what is in `host` now (the test's own fixture aside). */
function problems(host: HTMLElement, baseline: Baseline): string[] {
  const seen = [...new Set([...seenElements(), ...deepElements(host)])].filter((element) => !fixtures.has(element));
  return [
    ...violations(seen, baseline),
    ...sinkHits.splice(0),
    ...(executions() > 0 ? [`payload code ran ${executions()} time(s)`] : []),
  ];
}

const figures = {
  payloads: 0,
  renders: 0,
  fieldsChecked: 0,
  executed: 0,
  elementsFromContent: 0,
  timings: [] as string[],
};

describe('xss: hostile content renders as text, never as markup', function () {
  const baseline: Baseline = new Map();
  let restore: () => void = () => undefined;
  beforeEach(() => {
    restore = ignoreResizeObserverLoops();
  });
  afterEach(() => restore());

  before(async () => {
    // What benign content renders: the only tags and attributes payload content may ever produce.
    forget();
    const run = fedRun('r-benign');
    const host = mount(tree(run));
    feedEverything(run, 'plain text');
    run.feed(
      { type: 'input_accepted', resume_token: 'T1' },
      { type: 'need_input', prompt: 'Why?', resume_token: 'T2' },
    );
    // And a run that ended with a result (<run-progress> shows it).
    const ended = fedRun('r-benign-ended');
    const endedHost = mount(tree(ended));
    ended.feed({ type: 'status', state: 'running' }, { type: 'done', state: 'completed', result: 'plain text' });
    await rendered(host, endedHost);
    await expandTools(host);
    learn(baseline, [...seenElements(), ...deepElements(host), ...deepElements(endedHost)]);
    host.remove();
    endedHost.remove();
    expect(executions()).to.equal(0);
  });

  after(async () => {
    await report([
      '',
      `xss figures: ${figures.payloads} payloads tried, ${figures.renders} renders, ${figures.fieldsChecked} fields checked as verbatim text, ` +
        `${figures.executed} executed, ${figures.elementsFromContent} elements or attributes created from content (${figures.timings.join(', ')})`,
    ]);
  });

  it(`store-fed: ${XSS_PAYLOADS.length} payloads in every field of every element`, async function () {
    this.timeout(120_000);
    const started = performance.now();
    forget();
    // Every payload in a tree of its own, all at once.
    const trees = XSS_PAYLOADS.map((payload, i) => {
      const run = fedRun(`r-xss-${i}`);
      const host = mount(tree(run));
      feedEverything(run, payload);
      return { payload, host };
    });
    const hosts = trees.map(({ host }) => host);
    await rendered(...hosts);
    await expandTools(...hosts);
    const failures: string[] = [];
    for (const { payload, host } of trees) {
      const text = deepText(host);
      for (const field of SHOWN_FIELDS) {
        figures.fieldsChecked++;
        if (!text.includes(tag(payload, field)))
          failures.push(`${JSON.stringify(payload)}: the ${field} field does not show it verbatim`);
      }
      figures.payloads++;
      figures.renders++;
    }
    const created = trees.flatMap(({ host }) => problems(host, baseline));
    failures.push(...new Set(created));
    for (const { host } of trees) host.remove();
    figures.executed = executions();
    figures.elementsFromContent = created.length;
    figures.timings.push(`store ${Math.round(performance.now() - started)} ms`);
    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(executions()).to.equal(0);
  });

  for (const transport of ['sse', 'websocket', 'poll'] as const) {
    it(`through the mock server (${transport}): the xss scenario renders inert, before and after answering its question`, async function () {
      this.timeout(60_000);
      const started = performance.now();
      const marks: number[] = [];
      const baseUrl = await mockServerUrl();
      const runId = await startMockRun({ scenario: 'xss', speed: 0 });
      forget();
      const host = mount(
        html`<agent-run base-url=${baseUrl} run-id=${runId} transport=${transport}
          ><run-progress></run-progress><token-stream></token-stream><agent-log></agent-log
          ><approval-prompt no-autofocus></approval-prompt
        ></agent-run>`,
      );
      const prompt = host.querySelector('approval-prompt')!;
      const agentRun = host.querySelector('agent-run') as HTMLElement & { handle?: RunHandle };
      await new Promise<void>((resolve) => {
        const check = (): void =>
          prompt.getAttribute('phase') === 'open' ? resolve() : void requestAnimationFrame(check);
        check();
      });
      marks.push(performance.now());
      await rendered(host);
      await expandTools(host);
      marks.push(performance.now());
      const failures = problems(host, baseline);
      const text = deepText(host);
      for (const payload of XSS_PAYLOADS) {
        figures.fieldsChecked++;
        if (!text.includes(payload)) failures.push(`not shown verbatim: ${JSON.stringify(payload)}`);
      }
      expect(deepText(prompt)).to.include(XSS_PAYLOADS.join(' '));
      // Answer with the plain choice; the hostile ones are buttons with text, nothing more.
      const buttons = [...(prompt.shadowRoot?.querySelectorAll<HTMLButtonElement>('[part~="choice"]') ?? [])];
      expect(buttons.map((b) => b.textContent.trim())).to.deep.equal(XSS_CHOICES.map((c) => c.trim()));
      buttons.at(-1)!.click();
      await new Promise<void>((resolve) => {
        const stop = agentRun.handle!.$state.subscribe((s) => {
          if (s.result === null) return;
          queueMicrotask(() => stop());
          resolve();
        });
      });
      await rendered(host);
      await scrollThroughLog(host);
      failures.push(...problems(host, baseline));
      figures.renders++;
      figures.timings.push(
        `${transport} ${[...marks, performance.now()].map((m) => Math.round(m - started)).join('/')} ms`,
      );
      host.remove();
      expect(failures, failures.join('\n')).to.deep.equal([]);
      expect(executions()).to.equal(0);
    });
  }

  it('self-test: the tripwire does catch a payload that runs and an element created from content', async () => {
    forget();
    const host = document.createElement('div');
    fixtures.add(host);
    document.body.append(host);
    // A deliberately unsafe "element": content through innerHTML into a shadow root.
    host.attachShadow({ mode: 'open' }).innerHTML =
      `<p>ok</p><img src="data:image/png;base64,AAAA" onerror="${XSS_HIT}">`;
    await barrier();
    const caught = problems(host, baseline);
    host.remove();
    const ran = executions();
    globalThis.__xss = 0;
    expect(ran, 'the payload ran').to.be.greaterThan(0);
    expect(caught).to.include('a <img> element was created');
    expect(caught).to.include('<img> has an event-handler attribute onerror');
    expect(caught.some((c) => c.startsWith('ShadowRoot.innerHTML:'))).to.equal(true, caught.join('\n'));
    expect(caught.some((c) => c.startsWith('payload code ran'))).to.equal(true);
  });
});
