/**
 * The built-in transports by name, for callers that choose one at runtime (`connectRun`, the
 * `transport` attribute of `<agent-run>`). Kept out of the transport modules themselves so that
 * importing one factory (e.g. `createSseTransport`) never pulls in the others: the map is only
 * bundled when it is used.
 */
import { createAutoTransport } from './auto.ts';
import { createHybridTransport } from './hybrid.ts';
import { createPollTransport } from './poll.ts';
import { createSseTransport } from './sse.ts';
import type { Transport, TransportFactory, TransportName, TransportOptions } from './types.ts';
import { createWebSocketTransport } from './websocket.ts';

/** Every built-in transport by name. */
export const TRANSPORTS: Readonly<Record<TransportName, TransportFactory>> = /* @__PURE__ */ Object.freeze({
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
