/**
 * Per-connection fault switches, read from query parameters. Each switch applies to the first
 * `fault_times` (default 1) connections of a run on one endpoint kind that carry it, so a client
 * that reconnects with the same URL recovers: tests stay deterministic. `fault_503=N` starts at
 * the N-th such connection instead (`fault_503=2`: the reconnect after a first connection is
 * refused). Every fault that fires is counted on its run (`Run.faultCounts`).
 */
import type { ConnectionSet } from './connections.ts';
import { HttpError } from './errors.ts';
import { FAULT_RETRY_AFTER_S, MAX_FAULT_DELAY_MS, MAX_FAULT_REORDER_WINDOW } from './limits.ts';
import { flagParam, intParam } from './params.ts';
import type { Run } from './run.ts';

/** The endpoint kinds faults are counted per. */
export type EndpointKind =
  'snapshot' | 'events' | 'stream' | 'tokens' | 'ws' | 'plain-task' | 'plain-stream' | 'plain-ws';

/** Names under which fired faults are counted on a run. */
export const FAULT_KINDS = [
  'close_after',
  'duplicate',
  'delay',
  'malformed',
  '503',
  'buffer',
  'reorder',
  'gap',
  'kill',
] as const;
/** A kind of fired fault. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The faults active on one connection. */
export interface Faults {
  /** Cut the connection abruptly after this many events (events page: return only this many). */
  readonly closeAfter: number | undefined;
  /** Send every K-th event twice. */
  readonly duplicateEvery: number | undefined;
  /** Wait this long before the response headers and before every event (every `burst`-th event with `burst`). */
  readonly delayMs: number;
  /** With `delayMs`: pause before every N-th event only, so events arrive in bursts of N. */
  readonly burst: number;
  /** After this many events send one malformed frame, then go on normally. */
  readonly malformedAfter: number | undefined;
  /** Answer `503 {error:{code:'unavailable'}}` with `Retry-After`. */
  readonly unavailable: boolean;
  /** Hold every SSE byte until the run ends or FAULT_BUFFER_BYTES piled up (a buffering proxy). */
  readonly buffer: boolean;
  /** Send the events available at once in windows of this many, each window in reverse order. */
  readonly reorder: number | undefined;
  /** After this many events leave one event out (a gap: it never goes out on this connection). */
  readonly gapAfter: number | undefined;
  /** When the run emits this seq, cut every open connection of the run at once (all endpoints and planes). */
  readonly killAt: number | undefined;
}

/** A connection without faults. */
export const NO_FAULTS: Faults = Object.freeze({
  closeAfter: undefined,
  duplicateEvery: undefined,
  delayMs: 0,
  burst: 1,
  malformedAfter: undefined,
  unavailable: false,
  buffer: false,
  reorder: undefined,
  gapAfter: undefined,
  killAt: undefined,
});

/** Fault switches as requested (before `fault_times` is applied). */
export interface FaultRequest {
  readonly faults: Faults;
  /** How many connections per run and endpoint kind get each switch. */
  readonly times: number;
  /** Names of the switches present. */
  readonly present: readonly (keyof Faults)[];
  /** The first connection (1-based, per run and endpoint kind) a switch applies to, when not the first. */
  readonly from: Readonly<Partial<Record<keyof Faults, number>>>;
}

const BIG = 1_000_000_000;

/** `fault_503`: a flag (`1`, `true`: from the first connection) or the 1-based connection to start at (`2`: the first reconnect). */
function unavailableFrom(query: URLSearchParams): number | undefined {
  const raw = query.get('fault_503');
  if (raw !== null && /^\s*\d+\s*$/.test(raw)) {
    const n = intParam(query, 'fault_503', { min: 0, max: BIG });
    return n === 0 ? undefined : n;
  }
  return flagParam(query, 'fault_503') ? 1 : undefined;
}

/** Every `fault_*` query parameter the mock server knows (mock-server/README.md). */
export const FAULT_PARAMS = [
  'fault_close_after',
  'fault_duplicate',
  'fault_delay',
  'fault_burst',
  'fault_malformed',
  'fault_503',
  'fault_buffer',
  'fault_reorder',
  'fault_gap',
  'fault_kill_at',
  'fault_times',
] as const;

/** Read the `fault_*` query parameters; throws HttpError 400 naming a bad or unknown one (a typo must not silently test nothing). */
export function parseFaults(query: URLSearchParams): FaultRequest {
  for (const name of query.keys()) {
    if (name.startsWith('fault_') && !(FAULT_PARAMS as readonly string[]).includes(name)) {
      throw new HttpError(400, 'invalid_query', `unknown fault switch "${name}"; known: ${FAULT_PARAMS.join(', ')}`, {
        field: name,
      });
    }
  }
  const closeAfter = intParam(query, 'fault_close_after', { min: 0, max: BIG });
  const duplicateEvery = intParam(query, 'fault_duplicate', { min: 1, max: BIG });
  const delayMs = intParam(query, 'fault_delay', { min: 0, max: MAX_FAULT_DELAY_MS });
  const burst = intParam(query, 'fault_burst', { min: 1, max: BIG });
  const malformedAfter = intParam(query, 'fault_malformed', { min: 0, max: BIG });
  const from503 = unavailableFrom(query);
  const buffer = flagParam(query, 'fault_buffer');
  const reorder = intParam(query, 'fault_reorder', { min: 2, max: MAX_FAULT_REORDER_WINDOW });
  const gapAfter = intParam(query, 'fault_gap', { min: 0, max: BIG });
  const killAt = intParam(query, 'fault_kill_at', { min: 1, max: BIG });
  const times = intParam(query, 'fault_times', { min: 1, max: BIG }) ?? 1;
  const faults: Faults = {
    closeAfter,
    duplicateEvery,
    delayMs: delayMs ?? 0,
    burst: burst ?? 1,
    malformedAfter,
    unavailable: from503 !== undefined,
    buffer: buffer ?? false,
    reorder,
    gapAfter,
    killAt,
  };
  const present = (Object.keys(faults) as (keyof Faults)[]).filter(
    (key) => key !== 'burst' && faults[key] !== NO_FAULTS[key],
  );
  return { faults, times, present, from: from503 !== undefined && from503 > 1 ? { unavailable: from503 } : {} };
}

/** The faults this connection actually gets: each present switch counts one use on the run for this endpoint kind. */
export function activateFaults(run: Run, kind: EndpointKind, request: FaultRequest): Faults {
  if (request.present.length === 0) return NO_FAULTS;
  const active: { -readonly [K in keyof Faults]: Faults[K] } = { ...NO_FAULTS, burst: request.faults.burst };
  for (const name of request.present) {
    const key = `${kind}:${name}`;
    const uses = (run.faultUses.get(key) ?? 0) + 1;
    run.faultUses.set(key, uses);
    const first = request.from[name] ?? 1;
    if (uses >= first && uses < first + request.times) copyFault(active, request.faults, name);
  }
  return active;
}

function copyFault<K extends keyof Faults>(
  target: { -readonly [P in K]: Faults[P] },
  source: Pick<Faults, K>,
  key: K,
): void {
  target[key] = source[key];
}

/** The 503 answer of `fault_503`. */
export function unavailableError(): HttpError {
  return new HttpError(503, 'unavailable', 'the service is unavailable (injected fault_503)', {
    headers: { 'Retry-After': String(FAULT_RETRY_AFTER_S) },
  });
}

/**
 * Arm `fault_kill_at` for this connection's run: once the run emits that seq, every open connection
 * of the run is cut at once (on the next turn, after the event went out to whoever was following).
 * A seq the run already passed, or one already armed, arms nothing.
 */
export function armKill(run: Run, faults: Faults, connections: ConnectionSet): void {
  const seq = faults.killAt;
  if (seq === undefined || run.lastSeq >= seq || run.closed || run.killsArmed.has(seq)) return;
  run.killsArmed.add(seq);
  const unsubscribe = run.subscribe(() => {
    if (run.lastSeq < seq && !run.closed) return;
    unsubscribe();
    if (run.lastSeq < seq) return;
    setImmediate(() => {
      if (connections.killGroup(run.id) > 0) run.countFault('kill');
    });
  });
}
