/** Every limit and default of the server kit, named once. Wire-level limits live in src/protocol/limits.ts. */

/** Events per `GET /events` page when `limit` is not given. */
export const DEFAULT_EVENTS_LIMIT = 1000;
/** Largest accepted `limit` on `GET /events`. */
export const MAX_EVENTS_LIMIT = 10_000;
/** Shortest heartbeat interval `?heartbeat=` may ask for, ms. */
export const MIN_HEARTBEAT_MS = 5;
/** Longest heartbeat interval `?heartbeat=` may ask for, ms. */
export const MAX_HEARTBEAT_MS = 10 * 60 * 1000;
/** Events a stream writes per turn before yielding (and checking backpressure). */
export const STREAM_BATCH_SIZE = 1000;
/** WebSocket send buffer above which a stream waits for the socket to drain. */
export const WS_HIGH_WATER_BYTES = 1024 * 1024;
/** Bytes an SSE response may hold in its buffer before the stream waits (fetch handler). */
export const SSE_HIGH_WATER_BYTES = 64 * 1024;
/** Bytes of an oversized request body drained (so the 413 reaches the client) before the socket is cut. */
export const MAX_DRAIN_BYTES = 1024 * 1024;
/** WebSocket protocol-level ping interval, ms; a peer that misses two pongs is cut. */
export const WS_PING_INTERVAL_MS = 30_000;
/** Longest accepted run id in a path, in UTF-16 code units. */
export const MAX_RUN_ID_LENGTH = 256;

/** Request headers a browser may send cross-origin (preflight answer when it names none). */
export const CORS_ALLOW_HEADERS = 'Content-Type, Last-Event-ID, Cache-Control, Authorization';
/** Response headers a cross-origin page may read. */
export const CORS_EXPOSE_HEADERS = 'X-Run-Id, Retry-After, Location';
/** Methods the API answers. */
export const CORS_ALLOW_METHODS = 'GET, POST, OPTIONS';
/** How long a browser may cache a preflight answer, in seconds. */
export const CORS_MAX_AGE_S = 600;
/** `Retry-After` seconds sent with a 503 when the run log is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_S = 1;
/** Most characters of content one coalesced token carries (a slow connection's merged deltas). */
export const MAX_COALESCED_CHARS = 64 * 1024;
