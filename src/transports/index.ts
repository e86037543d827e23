/** agentwire transports: poll, SSE, WebSocket, hybrid and auto adapters feeding one run store, and the event-stream decoder. */
export * from './types.ts';
export {
  TransportError,
  isRetryableStatus,
  closeError,
  type TransportErrorCode,
  type TransportErrorOptions,
} from './errors.ts';
export { DEFAULT_RETRY, backoffDelay, resolveRetry } from './backoff.ts';
export { createWatchdog, sleep, type Watchdog } from './timers.ts';
export {
  createEventStreamDecoder,
  type EventStreamDecoder,
  type EventStreamDecoderOptions,
  type EventStreamMessage,
} from './event-stream-decoder.ts';
export { DEFAULT_GAP_TIMEOUT_MS, DEFAULT_HEARTBEAT_TIMEOUT_MS, DEFAULT_OPEN_TIMEOUT_MS } from './context.ts';
export { postCancel, postReply, trackReply, type CommandContext } from './commands.ts';
export { AUTO_ORDER, createAutoTransport } from './auto.ts';
export { combineStates, createHybridTransport } from './hybrid.ts';
export { createPollTransport } from './poll.ts';
export { createSseTransport } from './sse.ts';
export { createWebSocketTransport } from './websocket.ts';
// The by-name lookup lives in its own module (tree-shaken away unless used); see registry.ts.
export { TRANSPORTS, createTransport } from './registry.ts';
