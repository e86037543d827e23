/**
 * Page-level probes for leak tests: live timers (timeouts, intervals, animation frames), live
 * WebSockets, live stream readers (fetch bodies being read) and fetches in flight. Installed once,
 * before anything under test runs, by wrapping the globals; a resource is live from creation until
 * it fired, was cleared, closed, cancelled or finished.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { HeapFigures, ReliabilityConfig } from '../../reliability/commands.ts';

/** Counts of live resources. */
export interface LiveCounts {
  timeouts: number;
  intervals: number;
  frames: number;
  sockets: number;
  readers: number;
  fetches: number;
}

const timeouts = new Set<number>();
const intervals = new Set<number>();
const frames = new Set<number>();
const sockets = new Set<WebSocket>();
const readers = new Set<ReadableStreamDefaultReader<unknown>>();
let fetches = 0;
let installed = false;

type TimerHandler = (...args: unknown[]) => void;

/**
 * The test runner's own command channel arms a 20 s timeout per server command and never clears
 * it (@web/dev-server-core web-socket.js): not ours to count.
 */
function isHarnessTimer(ms: number | undefined): boolean {
  return ms === 20_000 && (new Error().stack ?? '').includes('__web-dev-server__web-socket');
}

/** Wrap the globals (idempotent). */
export function installProbes(): void {
  if (installed) return;
  installed = true;
  // Plain function properties: the saved natives are always called with globalThis as `this`.
  const g = globalThis as unknown as {
    setTimeout: (fn: TimerHandler, ms?: number, ...args: unknown[]) => number;
    clearTimeout: (id?: number) => void;
    setInterval: (fn: TimerHandler, ms?: number, ...args: unknown[]) => number;
    clearInterval: (id?: number) => void;
    requestAnimationFrame: (fn: FrameRequestCallback) => number;
    cancelAnimationFrame: (id: number) => void;
    fetch: typeof fetch;
    WebSocket: typeof WebSocket;
  };
  const {
    setTimeout: st,
    clearTimeout: ct,
    setInterval: si,
    clearInterval: ci,
    requestAnimationFrame: raf,
    cancelAnimationFrame: caf,
    fetch: nativeFetch,
  } = g;
  g.setTimeout = (fn, ms, ...args) => {
    if (typeof fn !== 'function' || isHarnessTimer(ms)) return st.call(globalThis, fn, ms, ...args);
    const id: number = st.call(
      globalThis,
      (...a: unknown[]) => {
        timeouts.delete(id);
        fn(...a);
      },
      ms,
      ...args,
    );
    timeouts.add(id);
    return id;
  };
  g.clearTimeout = (id) => {
    if (id !== undefined) {
      timeouts.delete(id);
      intervals.delete(id);
    }
    ct.call(globalThis, id);
  };
  g.setInterval = (fn, ms, ...args) => {
    const id: number = si.call(globalThis, fn, ms, ...args);
    intervals.add(id);
    return id;
  };
  g.clearInterval = (id) => {
    if (id !== undefined) {
      intervals.delete(id);
      timeouts.delete(id);
    }
    ci.call(globalThis, id);
  };
  g.requestAnimationFrame = (fn) => {
    const id = raf.call(globalThis, (time: number) => {
      frames.delete(id);
      fn(time);
    });
    frames.add(id);
    return id;
  };
  g.cancelAnimationFrame = (id) => {
    frames.delete(id);
    caf.call(globalThis, id);
  };
  g.fetch = async (...args: Parameters<typeof fetch>) => {
    fetches++;
    try {
      return await nativeFetch.apply(globalThis, args);
    } finally {
      fetches--;
    }
  };
  const Native = g.WebSocket;
  g.WebSocket = class CountedWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.add(this);
      this.addEventListener('close', () => sockets.delete(this), { once: true });
    }
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the native is saved to be called with .call(this) from its replacement
  const getReader = ReadableStream.prototype.getReader as (
    this: ReadableStream<unknown>,
    options?: { mode?: undefined },
  ) => ReadableStreamDefaultReader<unknown>;
  ReadableStream.prototype.getReader = function (
    this: ReadableStream<unknown>,
    options?: ReadableStreamGetReaderOptions,
  ) {
    const reader = getReader.call(this, options as { mode?: undefined });
    if (options?.mode === undefined) {
      readers.add(reader);
      const forget = (): void => void readers.delete(reader);
      reader.closed.then(forget, forget);
    }
    return reader;
  } as typeof ReadableStream.prototype.getReader;
}

/** The live resources now. */
export function liveCounts(): LiveCounts {
  return {
    timeouts: timeouts.size,
    intervals: intervals.size,
    frames: frames.size,
    sockets: sockets.size,
    readers: readers.size,
    fetches,
  };
}

/** Resolve once `check` holds, re-checking after every macrotask; reject with `what` and the last counts after `timeoutMs`. */
export async function settle(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline)
      throw new Error(`timed out waiting for ${what}; live: ${JSON.stringify(liveCounts())}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Heap and DOM counters after forced garbage collection (CDP). */
export function heapFigures(): Promise<HeapFigures> {
  return executeServerCommand<HeapFigures, undefined>('heap');
}

/** Cycle count and report mode. */
export function reliabilityConfig(): Promise<ReliabilityConfig> {
  return executeServerCommand<ReliabilityConfig, undefined>('reliability-config');
}

/** The mock server's open connections (of one run, or all). */
export function serverConnections(runId?: string): Promise<number> {
  return executeServerCommand<number, { runId?: string }>(
    'mock-open-connections',
    runId === undefined ? {} : { runId },
  );
}

/** Listeners following a run on the mock server (open feeds, parked long-polls). */
export function serverListeners(runId: string): Promise<number> {
  return executeServerCommand<number, { runId: string }>('mock-run-listeners', { runId });
}

/** Print lines from the test runner process (only in report mode: `npm run leaks`). */
export async function report(lines: string[]): Promise<void> {
  await executeServerCommand<boolean, { lines: string[] }>('reliability-report', { lines });
}

/** Format bytes as KiB with one decimal. */
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
