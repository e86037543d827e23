/** Messages and settings shared by B5's three processes (runner, mock server, load client). */

/** The scenario B5 registers in the server process: the `long` scenario's pacing, stamped tokens. */
export const LOAD_SCENARIO = 'bench-load';

/** A clock shared by every process on the machine (CLOCK_MONOTONIC), in ms. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Token content of the load scenario: `<index>|<scheduled ms>|<emitted ms>` (monotonic clock). */
export function stampedToken(index: number, scheduledMs: number, emittedMs: number): string {
  return ` ${index}|${scheduledMs.toFixed(3)}|${emittedMs.toFixed(3)}`;
}

/** What the client is told to do (JSON in argv[2]). */
export interface LoadClientConfig {
  url: string;
  /**
   * B7, across instances: create each run with `POST /api/runs` on one of these and read its
   * stream (`GET …/stream`) from the next one (run i: created on urls[i % n], read on urls[(i + 1) % n]).
   * Without it, each run is a chat-style `POST /api/runs/stream` on `url`.
   */
  crossUrls?: string[];
  runs: number;
  tokens: number;
  speed: number;
}

/** After the last stream opened, this long belongs to the opening (the server catches up with it), not to the steady state. */
export const SETTLE_MS = 1_000;

/** Percentiles of a latency distribution, ms. */
export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

/** What the load client measured. */
export interface LoadClientResult {
  runs: number;
  completedRuns: number;
  /** Events every run should deliver: status + tokens + done. */
  eventsExpected: number;
  eventsReceived: number;
  /** Seqs never received (expected − unique received). */
  lost: number;
  duplicates: number;
  /** Events whose seq was not the previous one + 1 when it arrived. */
  outOfOrder: number;
  /** Events whose SSE id differed from their seq. */
  idMismatches: number;
  /** Server emission → parsed by the client. */
  delivery: Spread;
  /**
   * The same for the steady state: the tokens emitted while every run was streaming, from
   * `SETTLE_MS` after the last stream opened (the server has caught up with the opening) until the
   * first run emitted its last token.
   */
  steady: Spread;
  /**
   * The same tokens from their scheduled time (scheduled → parsed): includes how late the server's
   * own busy loop emitted them, which `steady` (emitted → parsed) does not see.
   */
  steadyTotal: Spread;
  /** Length of that window, ms (≤ 0: the runs never all streamed at once, after settling). */
  steadyWindowMs: number;
  /** Tokens emitted in that window per second: the events/s served with every run live. */
  steadyRate: number;
  /** Delivery of the tokens emitted in the `SETTLE_MS` after the last stream opened (the opening's catch-up). */
  settling: Spread;
  /** Scheduled time → server emission (timer lateness of the run engine). */
  lag: Spread;
  /** Scheduled time → parsed by the client. */
  total: Spread;
  /** Tokens per second per run, achieved (median over runs). */
  rate: number;
  /** All streams open (headers received), ms after the first request. */
  openMs: number;
  wallMs: number;
  /** Client CPU over its wall time, % of one core. */
  cpuPct: number;
  /**
   * The client's own event-loop utilisation over the load, % (near 100 %: the load generator
   * itself is the bottleneck and its latencies are not the server's).
   */
  eluPct: number;
  /** The client's event-loop delay p99, ms (it is part of every latency it measures). */
  loopDelayP99: number;
  errors: string[];
}

/** Server resource use between `begin` and `end`. */
export interface ServerStats {
  wallMs: number;
  /** CPU (user + system) over the window, % of one core. */
  cpuPct: number;
  rssStart: number;
  rssPeak: number;
  heapUsedPeak: number;
  /** Event-loop utilisation over the window, %. */
  eluPct: number;
  /** Event-loop delay p99, ms. */
  loopDelayP99: number;
}

/** Runner ↔ child process messages. */
export type LoadMessage =
  | { kind: 'ready'; url: string }
  | { kind: 'begin' }
  | { kind: 'end' }
  | { kind: 'stats'; stats: ServerStats }
  /** Client → runner: every stream opened (or failed to). */
  | { kind: 'open' }
  /** Runner → servers started with `B5_GATED=1`: start the runs (they wait after their `running` status). */
  | { kind: 'go' }
  | { kind: 'result'; result: LoadClientResult };
