/** Mounts the mock backend into Vite's dev and preview servers (and Storybook, which runs Vite in middleware mode). */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Plugin, PreviewServer, ViteDevServer } from 'vite';
import { createMockApp, type MockApp, type MockAppOptions } from './app.ts';

interface UpgradeTarget {
  on(event: 'upgrade', listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}

function mount(
  app: MockApp,
  middlewares: ViteDevServer['middlewares'],
  upgradeTarget: UpgradeTarget | null | undefined,
  warn: (msg: string) => void,
): void {
  // The mock backend, with the dev-only endpoints (POST /api/_dev/drop-connections).
  middlewares.use((req, res, next) => app.handle(req, res, next));
  if (!upgradeTarget) {
    warn('[agentwire mock] no http server to attach WebSocket upgrades to: WebSocket endpoints are disabled');
    return;
  }
  // Only our socket paths are taken; Vite's HMR upgrades (and any other) are left alone.
  upgradeTarget.on('upgrade', (req, socket, head) => {
    app.handleUpgrade(req, socket, head);
  });
  upgradeTarget.once('close', () => void app.close());
}

/**
 * Vite plugin serving the agentwire mock backend (`/api/`, `/ws/`, `/plain/`) from the dev and
 * preview servers, plus the dev-only `POST /api/_dev/drop-connections` (see dev-routes.ts).
 */
export function mockServerPlugin(options: MockAppOptions = {}): Plugin {
  return {
    name: 'agentwire-mock-server',
    apply: 'serve',
    configureServer(server: ViteDevServer) {
      const app = createMockApp({ ...options, devRoutes: true });
      // Plain Vite: server.httpServer. Middleware mode (Storybook's builder-vite): httpServer is null,
      // but builder-vite passes its own http.Server as server.hmr.server, which Vite 8 resolves into
      // server.ws.server (the deprecated hmr.server only reads that back).
      const ws = server.config.server.ws;
      const target = server.httpServer ?? (ws ? ws.server : undefined);
      mount(app, server.middlewares, target, (msg) => server.config.logger.warn(msg));
    },
    configurePreviewServer(server: PreviewServer) {
      const app = createMockApp({ ...options, devRoutes: true });
      mount(app, server.middlewares, server.httpServer, (msg) => server.config.logger.warn(msg));
    },
  };
}
