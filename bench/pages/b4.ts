/**
 * B4 page: `<agent-log>` over a store holding N log entries. "On screen" means the newest entry's
 * row is laid out inside the log's visible box and the frame that drew it has been painted (the
 * log follows the end, and only rows in view are rendered).
 */
import '../../src/components/agent-log/define.ts';
import { AgentLog } from '../../src/components/agent-log/agent-log.ts';
import type { RunEvent } from '../../src/protocol/index.ts';
import { createRunStore, type RunStore } from '../../src/store/index.ts';
import type { LogPageApi } from './api.ts';
import { nextFrame, offlineRun } from './shared.ts';

const RUN_ID = 'bench';
/** Give up waiting for a row after this long. */
const WAIT_LIMIT_MS = 60_000;

let store: RunStore = createRunStore(RUN_ID);
let element: AgentLog | null = null;
let seq = 0;
let calls = 0;
/** The pieces of a call's arguments for streamArgs. */
let pieces: string[] = [];

/** Log entry number `n` (1-based): a realistic mix of steps, log lines, tool calls and their results. */
function entry(n: number): RunEvent {
  const base = { run_id: RUN_ID, seq: ++seq };
  const marker = `#${n}`;
  switch (n % 10) {
    case 1:
      return { ...base, type: 'step', name: `step ${marker}`, state: 'started' };
    case 4:
      calls++;
      return {
        ...base,
        type: 'tool_call',
        call_id: `call_${calls}`,
        name: 'search_docs',
        args: { query: `retry backoff ${marker}`, limit: 5 },
      };
    case 5:
      return {
        ...base,
        type: 'tool_result',
        call_id: `call_${calls}`,
        summary: `Found 3 relevant pages ${marker}`,
        ok: true,
      };
    case 7:
      return { ...base, type: 'log', level: 'warn', message: `Deprecated API call in the upload client ${marker}` };
    case 0:
      return { ...base, type: 'step', name: `step ${marker}`, state: 'finished' };
    default:
      return {
        ...base,
        type: 'log',
        level: n % 3 === 0 ? 'debug' : 'info',
        message: `Reading module ${n % 97} of the upload client ${marker}`,
      };
  }
}

function events(from: number, count: number): RunEvent[] {
  return Array.from({ length: count }, (_, i) => entry(from + i));
}

/** The row showing `marker`, if it is in the element's DOM. */
function rowWith(marker: string): Element | null {
  const rows = element?.shadowRoot?.querySelectorAll('[part~="row"]') ?? [];
  for (const row of rows) if (row.textContent.includes(marker)) return row;
  return null;
}

/**
 * Resolve once the current frame has been rendered: called from an animation frame callback, a
 * message posted there is delivered after that frame's style, layout, ResizeObserver callbacks
 * and paint.
 */
function afterFrame(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(0);
  });
}

/** `row` lies inside the scrolling list's visible box (read after a rendered frame: layout is clean). */
function inView(row: Element, root: ParentNode | null | undefined = element?.shadowRoot): boolean {
  const list = root?.querySelector('[part~="list"]');
  if (!list) return false;
  const box = list.getBoundingClientRect();
  const rect = row.getBoundingClientRect();
  return rect.height > 0 && rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1;
}

/**
 * Resolve once a row shows `#n`, laid out inside the list's visible box, and the frame that drew
 * it has been painted: a row only in the DOM, or placed outside the view (the virtualizer's first
 * placement uses estimated sizes), is not on screen yet.
 */
async function untilShown(n: number): Promise<{ shown: boolean; inDomAt: number; frames: number }> {
  const marker = `#${n}`;
  const started = performance.now();
  let inDomAt = Number.NaN;
  let frames = 0;
  while (performance.now() - started < WAIT_LIMIT_MS) {
    await nextFrame();
    frames++;
    if (!rowWith(marker)) continue;
    if (Number.isNaN(inDomAt)) inDomAt = performance.now();
    await afterFrame();
    const row = rowWith(marker);
    if (row && inView(row)) return { shown: true, inDomAt, frames };
  }
  return { shown: false, inDomAt, frames };
}

/** The log's style sheets as constructed sheets (what its shadow root adopts). */
function logSheets(): CSSStyleSheet[] {
  return AgentLog.elementStyles.flatMap((style) =>
    style instanceof CSSStyleSheet ? [style] : style.styleSheet ? [style.styleSheet] : [],
  );
}

const api: LogPageApi = {
  async prepare(entries) {
    document.body.replaceChildren();
    element = null;
    store = createRunStore(RUN_ID);
    seq = 0;
    calls = 0;
    store.applyAll([{ type: 'status', run_id: RUN_ID, seq: ++seq, state: 'running' }, ...events(1, entries)]);
    await nextFrame();
  },

  async firstRender() {
    const started = performance.now();
    element = document.createElement('agent-log');
    element.run = offlineRun(store, RUN_ID);
    document.body.append(element);
    const newest = store.$log.get().length;
    const { shown, inDomAt, frames } = await untilShown(newest);
    const ms = performance.now() - started;
    if (!shown) throw new Error(`the newest entry (#${newest}) never showed`);
    return {
      ms,
      inDomMs: inDomAt - started,
      frames,
      rows: element.shadowRoot?.querySelectorAll('[part~="row"]').length ?? 0,
    };
  },

  async rowsInView() {
    // Once the log has settled: it widens its overhang and measures the new rows in the frames
    // after its first (until 1a6d684 two of those frames had no row in view).
    await element?.updateComplete;
    await nextFrame();
    await afterFrame();
    const rows = [...(element?.shadowRoot?.querySelectorAll('[part~="row"]') ?? [])].filter((row) => inView(row));
    if (rows.length === 0) throw new Error('no row of the log is in view to copy');
    // Without the virtualizer's placement (inline transforms): the static rows flow one after another.
    return rows
      .map((row) => {
        const copy = row.cloneNode(true) as Element;
        copy.removeAttribute('style');
        return copy.outerHTML;
      })
      .join('');
  },

  async staticRender(markup) {
    document.body.replaceChildren();
    element = null;
    // The markup is this page's own serialised rows (captured by rowsInView on another page), not content.
    const parsed = new DOMParser().parseFromString(
      `<div part="base"><div part="list" style="overflow:auto">${markup}</div></div>`,
      'text/html',
    );
    const started = performance.now();
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = logSheets();
    root.append(document.importNode(parsed.body.firstElementChild!, true));
    document.body.append(host);
    const rows = root.querySelectorAll('[part~="row"]');
    const last = rows[rows.length - 1];
    let frames = 0;
    while (last && performance.now() - started < WAIT_LIMIT_MS) {
      await nextFrame();
      frames++;
      await afterFrame();
      if (inView(last, root)) return { ms: performance.now() - started, frames, rows: rows.length };
    }
    throw new Error('the static rows never showed');
  },

  async append(count) {
    const from = store.$log.get().length + 1;
    const started = performance.now();
    store.applyAll(events(from, count));
    const { shown: lastShown } = await untilShown(from + count - 1);
    return { ms: performance.now() - started, lastShown };
  },

  async appendEach(count) {
    const from = store.$log.get().length + 1;
    const list = events(from, count);
    const channel = new MessageChannel();
    const started = performance.now();
    await new Promise<void>((resolve) => {
      let i = 0;
      channel.port1.onmessage = () => {
        store.apply(list[i++]!);
        if (i < list.length) channel.port2.postMessage(0);
        else resolve();
      };
      channel.port2.postMessage(0);
    });
    channel.port1.close();
    const { shown: lastShown } = await untilShown(from + count - 1);
    return { ms: performance.now() - started, lastShown };
  },

  async prepareArgs(chars, open) {
    document.body.replaceChildren();
    store = createRunStore(RUN_ID);
    seq = 0;
    store.apply({ type: 'status', run_id: RUN_ID, seq: ++seq, state: 'running' });
    element = document.createElement('agent-log');
    element.run = offlineRun(store, RUN_ID);
    document.body.append(element);
    const head = '{"path": "src/upload/client.ts", "content": "';
    let content = '';
    for (let i = 1; content.length < chars; i++)
      content += `export async function step${i}(input: Input): Promise<void> {\n  await upload(input, "part ${i}");\n}\n`;
    const text = head + JSON.stringify(content).slice(1, -1) + '"}';
    pieces = [];
    for (let at = head.length; at < text.length; at += 40) pieces.push(text.slice(at, at + 40));
    // The call's row is drawn before the stream: what is measured is the arguments growing.
    store.apply({
      type: 'tool_call_delta',
      run_id: RUN_ID,
      seq: ++seq,
      call_id: 'write',
      name: 'write_file',
      delta: head,
    });
    await element.updateComplete;
    await nextFrame();
    await element.updateComplete;
    if (!open) return;
    const details = element.shadowRoot?.querySelector<HTMLDetailsElement>('[part~="tool-details"]');
    if (!details) throw new Error('no tool row to open');
    details.open = true;
    await new Promise((resolve) => details.addEventListener('toggle', resolve, { once: true }));
    await element.updateComplete;
    await nextFrame();
  },

  async streamArgs(rate) {
    if (!element) throw new Error('prepareArgs first');
    // The time of each of the element's updates (its script: the row's view and template).
    const updates: number[] = [];
    const host = element as unknown as { performUpdate(): void };
    const performUpdate = host.performUpdate.bind(host);
    host.performUpdate = () => {
      const t = performance.now();
      performUpdate();
      updates.push(performance.now() - t);
    };
    let drawn = 0;
    const count = (): void => {
      drawn++;
      if (fed < pieces.length) requestAnimationFrame(count);
    };
    let fed = 0;
    requestAnimationFrame(count);
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const feed = (): void => {
        const due = Math.min(pieces.length, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
        for (; fed < due; fed++)
          store.apply({
            type: 'tool_call_delta',
            run_id: RUN_ID,
            seq: ++seq,
            call_id: 'write',
            delta: pieces[fed]!,
          });
        if (fed < pieces.length) setTimeout(feed, 1);
        else resolve();
      };
      feed();
    });
    await element.updateComplete;
    await nextFrame();
    await element.updateComplete;
    const shown = element.shadowRoot?.querySelector('[part~="tool-preview"]')?.textContent ?? '';
    if (!shown.startsWith('{ "path": "src/upload/client.ts", "content": "export async function step1('))
      throw new Error(`the streaming call shows ${JSON.stringify(shown)}`);
    const box = element.shadowRoot?.querySelector('[part~="tool-args"]');
    if (box && !box.textContent.endsWith(pieces.at(-1)!))
      throw new Error(`the opened call's arguments end with ${JSON.stringify(box.textContent.slice(-80))}`);
    const tenth = Math.max(1, Math.floor(updates.length / 10));
    const median = (times: number[]): number => times.sort((a, b) => a - b)[times.length >> 1]!;
    return {
      pieces: pieces.length,
      frames: drawn,
      firstUpdatesMs: median(updates.slice(0, tenth)),
      lastUpdatesMs: median(updates.slice(-tenth)),
    };
  },
};

window.b4 = api;
