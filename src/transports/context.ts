/** Options resolved once per transport, the internal hooks composite transports use, and URL building. */
import { DEFAULT_PATHS, endpointUrl, type EndpointPaths } from '../protocol/index.ts';
import type { WireDecoder } from '../protocols/types.ts';
import type { ConnectionState, EventSink } from '../store/index.ts';
import { resolveRetry } from './backoff.ts';
import type { TransportError } from './errors.ts';
import type { WireTap } from './tap.ts';
import { systemClock, type Clock, type PollOptions, type RetryPolicy, type TransportOptions } from './types.ts';

/** Default silence bound of an open connection (three missed 15 s server heartbeats). */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 45_000;
/** Default bound for a connection to open (WebSocket handshake, SSE first byte). */
export const DEFAULT_OPEN_TIMEOUT_MS = 10_000;

/** A transport's options with every default filled in. */
export interface TransportContext {
  readonly baseUrl: string;
  readonly runId: string;
  readonly sink: EventSink;
  readonly signal: AbortSignal;
  readonly paths: EndpointPaths;
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
  readonly clock: Clock;
  readonly retry: RetryPolicy;
  readonly heartbeatTimeoutMs: number;
  readonly openTimeoutMs: number;
  readonly poll: Required<PollOptions>;
  /** The run's protocol's decoders; each transport falls back to agentwire's own (so a page pays only for the decoders it uses). */
  readonly decoder: WireDecoder | undefined;
  /** The wire observer, when one is given. */
  readonly tap: WireTap | undefined;
}

/** Fill in the defaults of TransportOptions. */
export function resolveContext(options: TransportOptions): TransportContext {
  return {
    baseUrl: options.baseUrl,
    runId: options.runId,
    sink: options.sink,
    signal: options.signal,
    paths: { ...DEFAULT_PATHS, ...options.paths },
    headers: { ...options.headers },
    query: { ...options.query },
    clock: options.clock ?? systemClock,
    retry: resolveRetry(options.retry),
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    openTimeoutMs: options.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS,
    poll: { waitS: 25, intervalMs: 1_000, maxIntervalMs: 15_000, ...options.poll },
    decoder: options.decoder,
    tap: options.tap,
  };
}

/** The URL of an endpoint of this run; `query` adds (or, with undefined, leaves out) parameters. */
export function runUrl(
  context: Pick<TransportContext, 'baseUrl' | 'runId' | 'paths'>,
  endpoint: keyof EndpointPaths,
  query: Record<string, string | number | undefined> = {},
): URL {
  const url = endpointUrl(context.baseUrl, context.paths[endpoint], context.runId);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  return url;
}

/** Internal hooks a composite transport (`hybrid`, `auto`) passes to the adapters it drives. */
export interface AdapterHooks {
  /** Where connection-state changes go (the sink by default). */
  report?: (patch: Partial<ConnectionState>) => void;
  /** The composite closes gaps itself (hybrid: a plane does not resume alone; the sink rebuilds from a snapshot). */
  recoveredByParent?: boolean;
  /**
   * Give up at the first failure before the connection ever proved live (auto's fallback). A
   * function is asked at each failure (hybrid: only until both of its planes opened).
   */
  failFast?: boolean | (() => boolean);
  /** Called when the reconnect loop ends: null when the run finished or the transport was stopped; `live` tells whether a connection ever proved live. */
  onEnd?: (error: TransportError | null, live: boolean) => void;
}
