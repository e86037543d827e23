/** The mock backend on its own node:http server, bound to loopback only. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunLog } from '../src/server/index.ts';
import { createMockApp, type MockApp } from './app.ts';
import { MockServerError } from './errors.ts';
import type { TrafficCounts } from './traffic.ts';
import { DEFAULT_HOST, LOOPBACK_HOSTS } from './limits.ts';

/** Options of `startMockServer`. */
export interface MockServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Loopback interface to bind (default 127.0.0.1); anything else is refused. */
  host?: string;
  /** SSE heartbeat interval, ms (default `SSE_HEARTBEAT_MS`). */
  heartbeatMs?: number;
  /** Where runs live (default: in memory); a RedisRunLog shares them with other instances. Closed with the server. */
  log?: RunLog;
  /** Also answer the dev-only endpoints (see dev-routes.ts). */
  devRoutes?: boolean;
}

/** A running mock server. */
export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:43123`. */
  url: string;
  port: number;
  /** Close every connection, stop every run, stop listening. */
  close(): Promise<void>;
  /** Cut every open SSE / WebSocket / long-poll connection at once; returns how many. */
  dropConnections(): number;
  /** Number of open SSE / WebSocket / long-poll connections (all runs, or one run's). */
  openConnections(runId?: string): number;
  /** The mounted app. */
  app: MockApp;
  /** What the server sent and received for a run (see traffic.ts). */
  traffic(runId: string): TrafficCounts | undefined;
}

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Start the mock server on loopback. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? DEFAULT_HOST;
  if (!isLoopback(host))
    throw new MockServerError(
      'non_loopback_host',
      `the mock server only listens on loopback, not on ${JSON.stringify(host)}`,
    );
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new MockServerError('invalid_port', `invalid port ${String(port)}`);

  const app = createMockApp({
    ...(options.heartbeatMs !== undefined && { heartbeatMs: options.heartbeatMs }),
    ...(options.log !== undefined && { log: options.log }),
    ...(options.devRoutes !== undefined && { devRoutes: options.devRoutes }),
  });
  const server = createServer({ noDelay: true }, (req, res) => app.handle(req, res));
  server.on('upgrade', (req, socket, head: Buffer) => {
    if (!app.handleUpgrade(req, socket, head)) socket.destroy();
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    app,
    dropConnections: () => app.dropConnections(),
    openConnections: (runId) => app.openConnections(runId),
    traffic: (runId) => app.traffic(runId),
    close: () =>
      (closing ??= (async () => {
        const stopped = app.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await stopped;
      })()),
  };
}
