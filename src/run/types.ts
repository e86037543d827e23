/** The framework-agnostic run handle every element and framework binding uses, and the options that make one. */
import type { ReadableAtom } from 'nanostores';
import type { CreateRunRequest, EndpointPaths } from '../protocol/index.ts';
import type { RunStore } from '../store/index.ts';
import type { Clock, PollOptions, RetryPolicy, TransportName } from '../transports/types.ts';

/** A live run: its stores, and the actions a user can take on it. */
export interface RunHandle {
  /** The run's id on the server. */
  readonly runId: string;
  /** The transport this handle was opened with. */
  readonly transport: TransportName;
  /** The run's stores (lazily connected: the connection opens while anything listens). */
  readonly store: RunStore;
  /** Shortcut for `store.$state`. */
  readonly $state: RunStore['$state'];
  /** True while a connection is held open (someone listens and `disconnect()` was not called). */
  readonly $connected: ReadableAtom<boolean>;
  /** Answer the pending request with `text`. Resolves when the server accepted it; rejects with a TransportError. */
  reply(text: string): Promise<void>;
  /** Stop the run on the server (not the same as disconnecting). */
  cancel(): Promise<void>;
  /** Close this client's connection and leave the run going on the server; it stays closed until `reconnect()`. */
  disconnect(): void;
  /** Drop the connection and open it again, resuming where the store left off (also after `disconnect()` or a failure). */
  reconnect(): void;
}

/** Endpoint templates the run API uses: the transports' plus the chat-style POST start. */
export interface RunPaths extends EndpointPaths {
  /** `POST` starts a run and answers with its event stream (header `X-Run-Id`). */
  streamStart: string;
}

/** Options of `connectRun`. */
export interface ConnectRunOptions {
  /** Origin (and optional path prefix) of the backend. */
  baseUrl: string;
  /** The run to connect. */
  runId: string;
  /** Which transport carries the run; `auto` by default. */
  transport?: TransportName;
  /** Endpoint templates; agentwire's own by default (a plain server: `{ snapshot, stream, socket }`). */
  paths?: Partial<EndpointPaths>;
  /** Extra query parameters on every connection URL. */
  query?: Record<string, string>;
  /** Extra request headers (HTTP transports). */
  headers?: Record<string, string>;
  /** Timers and randomness (tests pass a fake clock). */
  clock?: Clock;
  /** Reconnect policy overrides. */
  retry?: Partial<RetryPolicy>;
  /** Silence bound of an open connection, ms. */
  heartbeatTimeoutMs?: number;
  /** Bound for a connection to open, ms. */
  openTimeoutMs?: number;
  /** Wait for a missing seq before rebuilding from a snapshot, ms. */
  gapTimeoutMs?: number;
  /** Poll tuning. */
  poll?: PollOptions;
  /** Use this store instead of a new one. */
  store?: RunStore;
}

/** Options of `createRun`. */
export interface CreateRunOptions {
  /** Origin (and optional path prefix) of the backend. */
  baseUrl: string;
  /** The body of `POST /api/runs` (scenario, prompt, ...). */
  body?: CreateRunRequest | Record<string, unknown>;
  /** Endpoint templates (`runs`, `streamStart`). */
  paths?: Partial<RunPaths>;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of `startRun`: create a run, then connect it. */
export interface StartRunOptions extends CreateRunOptions, Omit<ConnectRunOptions, 'runId' | 'paths'> {
  /** Chat-style start: one POST to `streamStart` both starts the run and streams it (SSE transport only). */
  stream?: boolean;
}
