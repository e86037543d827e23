/** agentwire transports: poll, SSE, WebSocket, hybrid and auto adapters feeding one run store, and the event-stream decoder. */
import { createAutoTransport } from './auto.ts';
import { createHybridTransport } from './hybrid.ts';
import { createPollTransport } from './poll.ts';
import { createSseTransport } from './sse.ts';
import type { Transport, TransportFactory, TransportName, TransportOptions } from './types.ts';
import { createWebSocketTransport } from './websocket.ts';

export * from './types.ts';
export { TransportError, isRetryableStatus, closeError, type TransportErrorCode, type TransportErrorOptions } from './errors.ts';
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
export { combineStates } from './hybrid.ts';
export { AUTO_ORDER } from './auto.ts';
export { createAutoTransport, createHybridTransport, createPollTransport, createSseTransport, createWebSocketTransport };

/** Every built-in transport by name. */
export const TRANSPORTS: Readonly<Record<TransportName, TransportFactory>> = Object.freeze({
  poll: (options: TransportOptions) => createPollTransport(options),
  sse: (options: TransportOptions) => createSseTransport(options),
  websocket: (options: TransportOptions) => createWebSocketTransport(options),
  hybrid: (options: TransportOptions) => createHybridTransport(options),
  auto: (options: TransportOptions) => createAutoTransport(options),
});

/** Connect a run with the named transport (the connection opens now and closes on `options.signal`). */
export function createTransport(name: TransportName, options: TransportOptions): Transport {
  return TRANSPORTS[name](options);
}
