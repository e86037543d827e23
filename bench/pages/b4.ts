/**
 * B4 page: `<agent-log>` over a store holding N log entries. "On screen" means the newest entry's
 * row is in the element's DOM (the log follows the end, and only rows in view are rendered).
 */
import '../../src/components/agent-log/define.ts';
import type { AgentLog } from '../../src/components/agent-log/agent-log.ts';
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

/** Resolve (with the time) on the first frame in which a row shows `#n`. */
async function untilShown(n: number): Promise<boolean> {
  const marker = `#${n}`;
  const started = performance.now();
  while (performance.now() - started < WAIT_LIMIT_MS) {
    await nextFrame();
    const rows = element?.shadowRoot?.querySelectorAll('[part~="row"]') ?? [];
    for (const row of rows) if (row.textContent.includes(marker)) return true;
  }
  return false;
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
    const shown = await untilShown(newest);
    const ms = performance.now() - started;
    if (!shown) throw new Error(`the newest entry (#${newest}) never showed`);
    return { ms, rows: element.shadowRoot?.querySelectorAll('[part~="row"]').length ?? 0 };
  },

  async append(count) {
    const from = store.$log.get().length + 1;
    const started = performance.now();
    store.applyAll(events(from, count));
    const lastShown = await untilShown(from + count - 1);
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
    const lastShown = await untilShown(from + count - 1);
    return { ms: performance.now() - started, lastShown };
  },
};

window.b4 = api;
