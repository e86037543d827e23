/** agentwire transports: poll, SSE, WebSocket, hybrid and auto adapters feeding a run's ordered sink, and the event-stream decoder. */
export {
  systemClock,
  type TransportName,
  type Clock,
  type RetryPolicy,
  type PollOptions,
  type TransportOptions,
  type Answer,
  type ReplyAck,
  type Transport,
  type TransportFactory,
} from './types.ts';
export { TransportError, type TransportErrorOptions } from './errors.ts';
export {
  utf8Bytes,
  type WirePlane,
  type WireTap,
  type TapEvent,
  type TapRequest,
  type TapFrame,
  type TapConnection,
  type TapAck,
} from './tap.ts';
export type { TransportErrorCode } from '../protocol/index.ts';
export { DEFAULT_RETRY } from './backoff.ts';
export { DEFAULT_HEARTBEAT_TIMEOUT_MS, DEFAULT_OPEN_TIMEOUT_MS } from './context.ts';
export {
  createEventStreamDecoder,
  type EventStreamDecoder,
  type EventStreamDecoderOptions,
  type EventStreamMessage,
} from './event-stream-decoder.ts';
export { AUTO_ORDER, createAutoTransport } from './auto.ts';
export { createHybridTransport } from './hybrid.ts';
export { createPollTransport } from './poll.ts';
export { createSseTransport } from './sse.ts';
export { createWebSocketTransport } from './websocket.ts';
// The by-name lookup lives in its own module (tree-shaken away unless used); see registry.ts.
export { TRANSPORTS, createTransport } from './registry.ts';
