// @web/test-runner: tests run in Debian's Chromium (never a downloaded browser), served through
// Vite (TS + Lit decorators), against a real mock server started here on a free loopback port.
// Loaded with `node --import tsx` (see package.json) so the TypeScript mock server can be imported.
import { createServer } from 'node:net';
import { chromeLauncher } from '@web/test-runner-chrome';
import { vitePlugin, removeViteLogging } from '@remcovaes/web-test-runner-vite-plugin';
import { startMockServer } from './mock-server/server.ts';
import { reliabilityCommands } from './test/reliability/commands.ts';
import { plainServerCommands } from './test/plain-servers/commands.ts';
import { trimServerCommands } from './test/trim-server/commands.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

/** Ask the OS for a free loopback port (ports are picked, never fixed). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const mock = await startMockServer({ port: 0 });
const vitePort = await freePort();

/** Let WTR (not Vite) serve the websocket helper that @web/test-runner-commands imports. */
const wdsWebSocketExternal = {
  name: 'wds-websocket-external',
  enforce: 'pre',
  resolveId(id) {
    if (id.endsWith('__web-dev-server__web-socket.js'))
      return { id: '/__web-dev-server__web-socket.js', external: true };
  },
};

/**
 * Modules the dev server answers 404 for (paths from the root, set by the `fail-modules` command):
 * how a test sees a chunk that cannot be loaded (gone after a deploy, blocked), which `import()`
 * then rejects. Only the `unloadable` group sets it: a browser of its own, whose HTTP cache holds
 * no earlier copy of those chunks; the 404s are not stored either.
 */
const failingModules = new Set();

/** Serve `failingModules` as 404s, before Vite transforms anything. */
const failingModulesPlugin = {
  name: 'agentwire-failing-modules',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const path = (req.url ?? '').split('?')[0];
      if (!failingModules.has(path)) return next();
      res.statusCode = 404;
      res.setHeader('Cache-Control', 'no-store');
      res.end();
    });
  },
};

/** Server commands the tests call through `executeServerCommand` (see test/browser/helpers/mock-server.ts). */
const mockCommands = {
  name: 'agentwire-mock-commands',
  executeCommand({ command, payload }) {
    if (command === 'mock-server-url') return mock.url;
    if (command === 'mock-drop-connections') return mock.dropConnections();
    // What the server sent and received for a run, and the faults it fired (the inspector's and transport-compare's checks).
    if (command === 'mock-traffic') return mock.traffic(String(payload)) ?? null;
    if (command === 'fail-modules') {
      failingModules.clear();
      for (const path of payload ?? []) failingModules.add(String(path));
      return true;
    }
    if (command === 'mock-fault-counts')
      return Object.fromEntries(mock.app.registry.get(String(payload))?.faultCounts ?? []);
    return undefined;
  },
  serverStop() {
    return mock.close();
  },
};

/**
 * File groups `npm test` runs one after the other (WTR_GROUP): the reliability suite (long and
 * CPU-heavy: leak cycles with forced GC, XSS renders) never shares the browser with the
 * timing-sensitive element and transport tests; the chunks that cannot be loaded (`unloadable`,
 * served as 404s) get a browser of their own.
 */
const FILE_GROUPS = {
  main: ['test/browser/**/*.test.ts', '!test/browser/reliability/**', '!test/browser/unloadable/**'],
  reliability: ['test/browser/reliability/**/*.test.ts'],
  unloadable: ['test/browser/unloadable/**/*.test.ts'],
};

export default {
  // Without a group or files: every browser test but the unloadable chunks (they need a browser of their own).
  files: process.env.WTR_FILES ??
    FILE_GROUPS[process.env.WTR_GROUP ?? ''] ?? ['test/browser/**/*.test.ts', '!test/browser/unloadable/**'],
  nodeResolve: false,
  // One page at a time: a second page would be hidden and draw no frames (rAF, ResizeObserver),
  // which the elements rely on.
  concurrency: 1,
  // Full-size reliability runs (`npm run leaks`) take longer than the default 2 minutes per file.
  testsFinishTimeout: Number(process.env.WTR_FINISH_TIMEOUT_MS) || 120_000,
  testFramework: { config: { timeout: 20000 } },
  plugins: [
    mockCommands,
    reliabilityCommands(mock),
    // The plain fixture servers (examples/servers/, Python and Node) as processes, started on first use.
    plainServerCommands(),
    // A kit server whose log trims (20 events per run), for the events_trimmed recovery test.
    trimServerCommands(),
    vitePlugin({
      configFile: false,
      logLevel: 'error',
      plugins: [wdsWebSocketExternal, failingModulesPlugin],
      // Pre-bundle every browser dependency up front: a re-bundle mid-run would load Lit twice.
      optimizeDeps: {
        include: [
          'lit',
          'lit/decorators.js',
          'lit/directives/if-defined.js',
          'lit/directives/style-map.js',
          '@lit/context',
          '@lit-labs/virtualizer/virtualize.js',
          'nanostores',
          '@open-wc/testing',
          '@web/test-runner-commands',
          'sinon',
          'eventsource-parser',
        ],
      },
      define: { 'process.env.NODE_ENV': JSON.stringify('development') },
      server: { port: vitePort, strictPort: true, host: '127.0.0.1' },
    }),
  ],
  filterBrowserLogs: (log) => removeViteLogging(log) && !String(log.args[0]).startsWith('Lit is in dev mode'),
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [...CHROMIUM_ARGS],
      },
    }),
  ],
};
