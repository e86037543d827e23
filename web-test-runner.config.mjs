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

/** Server commands the tests call through `executeServerCommand` (see test/browser/helpers/mock-server.ts). */
const mockCommands = {
  name: 'agentwire-mock-commands',
  executeCommand({ command, payload }) {
    if (command === 'mock-server-url') return mock.url;
    if (command === 'mock-drop-connections') return mock.dropConnections();
    // What the server sent and received for a run, and the faults it fired (the inspector's and transport-compare's checks).
    if (command === 'mock-traffic') return mock.traffic(String(payload)) ?? null;
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
 * timing-sensitive element and transport tests.
 */
const FILE_GROUPS = {
  main: ['test/browser/**/*.test.ts', '!test/browser/reliability/**'],
  reliability: ['test/browser/reliability/**/*.test.ts'],
};

export default {
  files: process.env.WTR_FILES ?? FILE_GROUPS[process.env.WTR_GROUP ?? ''] ?? 'test/browser/**/*.test.ts',
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
      plugins: [wdsWebSocketExternal],
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
