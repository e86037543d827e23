/**
 * Per-connection fault switches, read from query parameters, written once as a decorator on the
 * server kit: a ConnectionPlanner (refuse with 503, delay the answer, arm a kill) and a FeedTap
 * (cut, duplicate, reorder, leave out, pace, corrupt) that every channel — SSE, WebSocket, events
 * pages, both dialects — runs its events through. Each switch applies to the first
 * `fault_times` (default 1) connections of a run on one endpoint kind that carry it, so a client
 * that reconnects with the same URL recovers: tests stay deterministic. `fault_503=N` starts at
 * the N-th such connection instead (`fault_503=2`: the reconnect after a first connection is
 * refused). Every fault that fires is counted on its run (`MockRun.faultCounts`).
 */
import {
  HttpError,
  flagParam,
  intParam,
  type ConnectionPlanner,
  type ConnectionSet,
  type ConnectionShape,
  type FeedTap,
  type RawFrames,
  type RunLog,
  type StoredEvent,
  type StreamSink,
  type TapOutput,
} from '../src/server/index.ts';
import {
  FAULT_BUFFER_BYTES,
  FAULT_RETRY_AFTER_S,
  MALFORMED_SSE_FRAME,
  MALFORMED_WS_MESSAGE,
  MAX_FAULT_DELAY_MS,
  MAX_FAULT_REORDER_WINDOW,
} from './limits.ts';
import type { MockRegistry, MockRun } from './registry.ts';

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
export function activateFaults(run: MockRun, kind: EndpointKind, request: FaultRequest): Faults {
  if (request.present.length === 0) return NO_FAULTS;
  const active: { -readonly [K in keyof Faults]: Faults[K] } = { ...NO_FAULTS, burst: request.faults.burst };
  for (const name of request.present) {
    const key = `${kind}:${name}`;
    const uses = (run.faultUses.get(key) ?? 0) + 1;
    run.faultUses.set(key, uses);
    const first = request.from[name] ?? 1;
    if (uses >= first && uses < first + request.times) Object.assign(active, { [name]: request.faults[name] });
  }
  return active;
}

/** The 503 answer of `fault_503`. */
export function unavailableError(): HttpError {
  return new HttpError(503, 'unavailable', 'the service is unavailable (injected fault_503)', {
    headers: { 'Retry-After': String(FAULT_RETRY_AFTER_S) },
  });
}

/** The deliberately malformed frame of `fault_malformed`, per channel. */
export const MALFORMED_FRAMES: RawFrames = Object.freeze({
  sse: MALFORMED_SSE_FRAME,
  message: MALFORMED_WS_MESSAGE,
  pageItem: JSON.stringify(MALFORMED_WS_MESSAGE),
});

/**
 * The per-event faults of one connection, as a FeedTap: windows of `fault_reorder` reversed, one
 * event left out (`fault_gap`), every K-th twice (`fault_duplicate`), a malformed frame after N
 * (`fault_malformed`), a cut after N (`fault_close_after`), and — on paced channels (streams,
 * not pages) — a pause before every `fault_burst`-th event (`fault_delay`).
 */
export class FaultTap implements FeedTap {
  private sent = 0;
  /** Events sent since the last pause (a pause is due once it reaches `burst`). */
  private sinceDelay: number;
  private gapMade = false;

  constructor(
    private readonly run: MockRun,
    private readonly faults: Faults,
    /** Streams pause between events; an events page answers at once (its delay comes before it). */
    private readonly paced: boolean,
  ) {
    this.sinceDelay = faults.burst;
  }

  start(out: TapOutput): void {
    if (this.faults.malformedAfter === 0) this.malformed(out);
    if (this.faults.closeAfter === 0) this.cut(out);
  }

  process(records: readonly StoredEvent[], out: TapOutput): number {
    const { faults } = this;
    const size = faults.reorder ?? 1;
    let consumed = 0;
    while (consumed < records.length) {
      if (this.paced && faults.delayMs > 0 && this.sinceDelay >= faults.burst) {
        out.pause(faults.delayMs);
        this.run.countFault('delay');
        this.sinceDelay = 0;
        return consumed;
      }
      const window = records.slice(consumed, consumed + size);
      if (window.length > 1) {
        window.reverse();
        this.run.countFault('reorder');
      }
      for (let i = 0; i < window.length; i++) {
        if (!this.send(window[i]!, out)) {
          // Cut: the page covers the window only when all of it went out.
          return i === window.length - 1 ? consumed + window.length : consumed;
        }
      }
      consumed += window.length;
    }
    return consumed;
  }

  /** Write one event with the per-event faults; false when the connection was cut. */
  private send(record: StoredEvent, out: TapOutput): boolean {
    const { faults } = this;
    if (faults.gapAfter !== undefined && !this.gapMade && this.sent === faults.gapAfter) {
      this.gapMade = true;
      this.run.countFault('gap');
      return true;
    }
    this.sent++;
    this.sinceDelay++;
    out.write(record);
    if (faults.duplicateEvery !== undefined && this.sent % faults.duplicateEvery === 0) {
      out.write(record);
      this.run.countFault('duplicate');
    }
    if (faults.closeAfter !== undefined && this.sent >= faults.closeAfter) {
      this.cut(out);
      return false;
    }
    if (faults.malformedAfter !== undefined && this.sent === faults.malformedAfter) this.malformed(out);
    return true;
  }

  private malformed(out: TapOutput): void {
    out.writeRaw(MALFORMED_FRAMES);
    this.run.countFault('malformed');
  }

  private cut(out: TapOutput): void {
    out.cut();
    this.run.countFault('close_after');
  }
}

/** `fault_buffer`: a sink that holds every byte, like a misconfigured proxy, until the end or FAULT_BUFFER_BYTES piled up. */
export function bufferingSink(inner: StreamSink): StreamSink {
  let held: string[] = [];
  let heldBytes = 0;
  const encoder = new TextEncoder();
  const release = (): boolean => {
    if (held.length === 0) return inner.writable;
    const text = held.join('');
    held = [];
    heldBytes = 0;
    return inner.write(text);
  };
  return {
    write(text) {
      held.push(text);
      heldBytes += encoder.encode(text).length;
      return heldBytes >= FAULT_BUFFER_BYTES ? release() : true;
    },
    onDrain: (listener) => inner.onDrain(listener),
    get writable() {
      return inner.writable;
    },
    end() {
      release();
      inner.end();
    },
    abort() {
      release();
      inner.abort();
    },
    onClose: (listener) => inner.onClose(listener),
    get closed() {
      return inner.closed;
    },
  };
}

/**
 * Arm `fault_kill_at` for this connection's run: once the run emits that seq, every open
 * connection of the run on this instance is cut at once (on the next turn, after the event went
 * out to whoever was following). A seq the run already passed, or one already armed, arms nothing.
 */
export function armKill(
  run: MockRun,
  seq: number,
  lastSeq: number,
  finished: boolean,
  log: RunLog,
  connections: ConnectionSet,
): void {
  if (lastSeq >= seq || finished || run.killsArmed.has(seq)) return;
  run.killsArmed.add(seq);
  const tail = log.tail(run.id, lastSeq);
  const check = (): void => {
    const records = tail.peek(seq - tail.cursor);
    if (records.length > 0) tail.seek(records.at(-1)!.seq);
    if (tail.cursor >= seq) {
      tail.close();
      setImmediate(() => {
        if (connections.killGroup(run.id) > 0) run.countFault('kill');
      });
      return;
    }
    if (tail.finished || tail.error) {
      tail.close();
      return;
    }
    tail.onReady(check);
  };
  check();
}

/** Kinds of the kit's endpoints as faults count them. */
const KIT_ENDPOINTS: Readonly<Record<string, EndpointKind>> = {
  snapshot: 'snapshot',
  events: 'events',
  stream: 'stream',
  tokens: 'tokens',
  socket: 'ws',
  'create-stream': 'stream',
  'plain-task': 'plain-task',
  'plain-stream': 'plain-stream',
  'plain-ws': 'plain-ws',
};

/** Endpoints that answer with SSE (`fault_buffer` applies to them only). */
const SSE_ENDPOINTS: readonly EndpointKind[] = ['stream', 'tokens', 'plain-stream'];

/** Endpoints answered at once after their delay, without counting it (the mock's snapshots). */
const UNCOUNTED_DELAY: readonly EndpointKind[] = ['snapshot', 'plain-task'];

/** The fault decorator: a ConnectionPlanner for `createRunServer({ connections })`. */
export function faultPlanner(registry: MockRegistry, log: RunLog, connections: () => ConnectionSet): ConnectionPlanner {
  return (request, endpoint) => {
    const kind = KIT_ENDPOINTS[endpoint];
    if (kind === undefined) return undefined;
    const faultRequest = parseFaults(request.url.searchParams);
    // The chat-style start refuses before a run exists.
    if (endpoint === 'create-stream' && faultRequest.faults.unavailable) throw unavailableError();
    if (faultRequest.present.length === 0) return undefined;
    return {
      async open(runId): Promise<ConnectionShape | undefined> {
        const run = registry.record(runId);
        const faults = activateFaults(run, kind, faultRequest);
        if (faults.unavailable) {
          run.countFault('503');
          throw unavailableError();
        }
        if (faults.killAt !== undefined) {
          const info = await log.info(runId);
          if (info) armKill(run, faults.killAt, info.lastSeq, info.finished, log, connections());
        }
        if (faults.delayMs > 0) {
          if (!UNCOUNTED_DELAY.includes(kind)) run.countFault('delay');
          await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
        }
        const paced = kind !== 'events';
        const buffered = faults.buffer && SSE_ENDPOINTS.includes(kind);
        if (buffered) run.countFault('buffer');
        return { tap: new FaultTap(run, faults, paced), ...(buffered && { wrap: bufferingSink }) };
      },
    };
  };
}
