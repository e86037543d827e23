/** The mock backend as a mountable app: connect-style middleware + WebSocket upgrade handler. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { SSE_HEARTBEAT_MS } from '../src/protocol/index.ts';
import { ConnectionSet } from './connections.ts';
import { API_ROUTES } from './http.ts';
import { PLAIN_ROUTES } from './plain.ts';
import { createProtocolRoutes } from './protocols/index.ts';
import { RunRegistry } from './registry.ts';
import { createRouter, type AppContext } from './router.ts';
import { WsGateway } from './ws.ts';

/** Options of `createMockApp`. */
export interface MockAppOptions {
  /** SSE heartbeat interval (default `SSE_HEARTBEAT_MS`); `?heartbeat=<ms>` overrides it per request. */
  heartbeatMs?: number;
}

/** The mock backend, mountable into a plain node:http server or Vite. */
export interface MockApp {
  /** Connect-style middleware: answers `/api/`, `/ws/` and `/plain/` paths, calls `next()` for the rest. */
  handle(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /** Take a WebSocket upgrade on our socket paths; false (untouched) for anything else, e.g. Vite HMR. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Cut every open SSE / WebSocket / long-poll connection at once; returns how many. Runs keep playing. */
  dropConnections(): number;
  /** Number of open SSE / WebSocket / long-poll connections (all runs, or one run's). */
  openConnections(runId?: string): number;
  /** Cut every connection and stop every run's timers. */
  close(): void;
  /** The runs (for tests and tools). */
  readonly registry: RunRegistry;
}

/** Build the mock backend. */
export function createMockApp(options: MockAppOptions = {}): MockApp {
  const context: AppContext = {
    registry: new RunRegistry(),
    connections: new ConnectionSet(),
    heartbeatMs: options.heartbeatMs ?? SSE_HEARTBEAT_MS,
  };
  const router = createRouter([...API_ROUTES, ...PLAIN_ROUTES], context);
  const gateway = new WsGateway(context);
  // AG-UI, AI SDK and OpenAI Responses backends under /protocols/ (self-contained: mock-server/protocols/).
  const protocols = createProtocolRoutes();
  return {
    handle: (req, res, next) => {
      if (!protocols.handle(req, res)) router(req, res, next);
    },
    handleUpgrade: (req, socket, head) => gateway.handleUpgrade(req, socket, head),
    dropConnections: () => context.connections.killAll() + protocols.dropConnections(),
    openConnections: (runId) => (runId === undefined ? context.connections.size : context.connections.sizeOf(runId)),
    close: () => {
      protocols.close();
      context.connections.killAll();
      context.registry.closeAll();
      gateway.close();
    },
    registry: context.registry,
  };
}
