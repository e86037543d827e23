/** The contract every transport adapter fulfils. */
import type { EndpointPaths, NeedInputEvent } from '../protocol/index.ts';
import type { WireDecoder } from '../protocols/types.ts';
import type { EventSink } from '../store/index.ts';
import type { WireTap } from './tap.ts';

/** Names of the built-in transports. */
export type TransportName = 'poll' | 'sse' | 'websocket' | 'hybrid' | 'auto';

/** Timers and randomness a transport uses; tests pass fake ones. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
  /** Uniform in [0, 1): used for backoff jitter. */
  random(): number;
}

/** The real clock. */
export const systemClock: Clock = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
  random: () => Math.random(),
};

/** Reconnect policy: capped exponential backoff with full jitter. */
export interface RetryPolicy {
  /** First delay before jitter, ms. */
  initialDelayMs: number;
  /** Cap on the delay before jitter, ms. */
  maxDelayMs: number;
  /** Growth factor per attempt. */
  factor: number;
  /** Give up (status `failed`) after this many consecutive failed attempts; Infinity retries forever. */
  maxAttempts: number;
}

/** Tuning of the `poll` transport. */
export interface PollOptions {
  /** Long-poll wait asked of the server (`wait=`), seconds; 0 disables long-polling. Default 25. */
  waitS?: number;
  /** Delay between polls that brought nothing from a server that does not hold requests, ms. Default 1000. */
  intervalMs?: number;
  /** The idle delay doubles up to this, ms. Default 15000. */
  maxIntervalMs?: number;
}

/** Everything a transport needs to carry one run. */
export interface TransportOptions {
  /** Origin (and optional path prefix) of the backend, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string;
  /** The run to connect. */
  runId: string;
  /** Where decoded events, snapshots and connection changes go: the run's ordered sink (`createOrderedSink`). */
  sink: EventSink;
  /** Aborting closes the connection and cancels timers; the run keeps going on the server. */
  signal: AbortSignal;
  /** Endpoint templates; agentwire's own by default. */
  paths?: Partial<EndpointPaths>;
  /** Extra request headers (HTTP transports only; browsers cannot set WebSocket headers). */
  headers?: Record<string, string>;
  /** Extra query parameters on every connection URL (not on commands), e.g. the mock server's fault switches. */
  query?: Record<string, string>;
  /** Timers and randomness; the system clock by default. */
  clock?: Clock;
  /** Reconnect policy overrides. */
  retry?: Partial<RetryPolicy>;
  /** An open connection silent this long (no event, no heartbeat, no pong) is reconnected. Default 45000; Infinity turns the check off. */
  heartbeatTimeoutMs?: number;
  /** A connection that does not open within this (WebSocket handshake; SSE first byte) is abandoned. Default 10000. */
  openTimeoutMs?: number;
  /** Poll tuning (`poll`, and `auto` when it falls back to polling). */
  poll?: PollOptions;
  /** `sse` only: an already open event-stream response (a chat-style POST start) to read before reconnecting by GET. */
  initialResponse?: Response;
  /** How wire input decodes: the run's protocol (`agentwire` by default; `plain` for tutorial servers). */
  decoder?: WireDecoder;
  /** Observes the wire (requests, raw frames with bytes, connection changes, acks; `connectRun` also gives it the sink's outcomes). */
  tap?: WireTap;
}

/** An answer to a request for input, as a transport sends it. */
export interface Answer {
  /** The request answered (its resume token, and whether the server ever gave one). */
  readonly request: NeedInputEvent;
  /** The answer as text (for a structured answer, what people read of it). */
  readonly text: string;
  /** A structured answer: a form's JSON, an approval's `{approved, reason}`. */
  readonly value?: unknown;
}

/**
 * How the server acknowledged an answer: `accepted` (it confirmed taking it: a 2xx to the POST, or
 * `input_accepted`), or `delivered` (it was sent, and this server never confirms: a plain server).
 */
export type ReplyAck = 'accepted' | 'delivered';

/** One connected run: sends commands back and can be closed or reconnected. Connection state goes to the sink. */
export interface Transport {
  /** Which transport this is (for `auto`, the live one shows in the store's connection state). */
  readonly name: TransportName;
  /**
   * Send an answer once (never queued, never replayed). Resolves with the server's
   * acknowledgement; rejects with a TransportError: `rejected` (refused) or `not_delivered`.
   */
  reply(answer: Answer): Promise<ReplyAck>;
  /** Stop the run on the server. */
  cancel(): Promise<void>;
  /** Drop the connection now and open it again, resuming after the last applied seq (also restarts a failed transport). */
  reconnect(): void;
}

/** Builds a transport for one run; the connection opens immediately and closes on `signal`. */
export type TransportFactory = (options: TransportOptions) => Transport;
