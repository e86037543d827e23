/**
 * One transport's lane of a live comparison: start a run of a scenario (the server asked to stamp
 * its events), connect it with the transport under a recorder's tap, optionally answer its
 * question, and read the figures from the traffic the tap saw: time to first token, update
 * latency (server stamp → store, → screen), requests, bytes each way, connections, reconnects,
 * duplicates, and the round trip of a mid-task answer.
 */
import { connectRun, createRun } from '../run/index.ts';
import type { RunHandle } from '../run/types.ts';
import type { TransportName } from '../transports/index.ts';
import { createRecorder, percentile, type Recorder } from './recorder.ts';

/** Options of one lane. */
export interface LaneOptions {
  /** The backend (the mock server, or any agentwire server). */
  baseUrl: string;
  transport: Exclude<TransportName, 'auto'>;
  /** Body of `POST /api/runs` (`stamp: true` is added: the mock server then stamps every event). */
  body?: Record<string, unknown>;
  /** Query parameters of every connection (the mock server's fault switches). */
  query?: Record<string, string>;
  /** Answer the run's first question with this text, measuring the round trip. */
  answer?: string;
  /** Epoch ms now (default: sub-millisecond `performance` time). */
  now?: () => number;
}

/** A lane in progress. */
export interface Lane {
  readonly transport: LaneOptions['transport'];
  readonly runId: string;
  readonly handle: RunHandle;
  readonly recorder: Recorder;
  /** When the connection was asked for (after the run was created), epoch ms. */
  readonly connectedAt: number;
  /** Resolves when the run ended (or the lane was stopped). */
  readonly done: Promise<void>;
  /** The answer's round trip (sent → accepted), ms; null before (or without) one. */
  readonly answerMs: number | null;
  /** Disconnect (the run goes on on the server). */
  stop(): void;
}

/** What a lane measured. */
export interface LaneFigures {
  readonly transport: string;
  readonly runId: string;
  /** The run's status now. */
  readonly status: string;
  /** Connection asked for → first token in the store, ms. */
  readonly firstTokenMs: number | null;
  /** Server stamp → store, ms. */
  readonly storeP50: number | null;
  readonly storeP95: number | null;
  /** Server stamp → the frame that drew it, ms. */
  readonly screenP50: number | null;
  readonly screenP95: number | null;
  readonly requests: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly open: number;
  readonly maxOpen: number;
  readonly reconnects: number;
  readonly duplicates: number;
  /** Events applied. */
  readonly applied: number;
  /** Whether anything was sent on a connection that also received (a two-way channel). */
  readonly twoWay: boolean;
  /** Requests that were plain HTTP (the rest were WebSocket upgrades). */
  readonly httpRequests: number;
  readonly answerMs: number | null;
}

const defaultNow = (): number => performance.timeOrigin + performance.now();

/** Start a lane: create the run, connect it under a new recorder. */
export async function startLane(options: LaneOptions): Promise<Lane> {
  const now = options.now ?? defaultNow;
  const runId = await createRun({ baseUrl: options.baseUrl, body: { ...options.body, stamp: true } });
  const recorder = createRecorder({ now });
  const connectedAt = now();
  const handle = connectRun({
    baseUrl: options.baseUrl,
    runId,
    transport: options.transport,
    tap: recorder.tap,
    ...(options.query && { query: options.query }),
  });
  let answerMs: number | null = null;
  let answering = false;
  let stop: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    const unlisten = handle.$state.subscribe((state) => {
      if (options.answer !== undefined && !answering && state.pendingInput) {
        answering = true;
        const sent = now();
        void handle.reply(options.answer).then(
          () => (answerMs = now() - sent),
          () => undefined,
        );
      }
      if (state.result !== null) finish();
    });
    function finish(): void {
      queueMicrotask(() => {
        unlisten();
        handle.disconnect();
        resolve();
      });
    }
    stop = finish;
  });
  return {
    transport: options.transport,
    runId,
    handle,
    recorder,
    connectedAt,
    done,
    get answerMs() {
      return answerMs;
    },
    stop: () => stop(),
  };
}

/** The figures of a lane now. */
export function laneFigures(lane: Lane): LaneFigures {
  const c = lane.recorder.counters;
  const { toStore, toScreen } = lane.recorder.latencies();
  const entries = lane.recorder.timeline.slice();
  const receiving = new Set(entries.filter((e) => e.direction === 'in').map((e) => e.plane));
  const twoWay = entries.some((e) =>
    e.kind === 'heartbeat' || e.kind === 'command' ? e.direction === 'out' && receiving.has(e.plane) : false,
  );
  return {
    transport: lane.transport,
    runId: lane.runId,
    status: lane.handle.$state.get().status,
    firstTokenMs: c.firstTokenAt === null ? null : c.firstTokenAt - lane.connectedAt,
    storeP50: percentile(toStore, 0.5),
    storeP95: percentile(toStore, 0.95),
    screenP50: percentile(toScreen, 0.5),
    screenP95: percentile(toScreen, 0.95),
    requests: c.requests,
    bytesIn: c.bytesIn,
    bytesOut: c.bytesOut,
    open: c.open,
    maxOpen: c.maxOpen,
    reconnects: c.reconnects,
    duplicates: c.duplicates,
    applied: c.applied,
    twoWay,
    httpRequests: entries.filter((e) => /^(GET|POST) /.test(e.detail) && e.direction === 'out').length,
    answerMs: lane.answerMs,
  };
}
