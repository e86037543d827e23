import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';
import { mockServerPlugin } from './mock-server/vite-plugin.ts';
import pkg from './package.json' with { type: 'json' };

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** A package and its subpaths (`lit`, `lit/decorators.js`). */
const packagePattern = (name: string): RegExp => new RegExp(`^${name.replace('/', '\\/')}(\\/|$)`);

/**
 * Runtime dependencies and the optional framework peers stay external in the library build
 * (the user's bundler dedupes them); the self-contained bundle includes every dependency.
 */
const external = [
  ...[...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)].map(packagePattern),
  // The server entries run on Node (or another server runtime): its built-ins are never bundled.
  /^node:/,
];

/** The elements, each with its own define module (`agentwire/define/<tag>`). */
const ELEMENTS = ['agent-run', 'run-progress', 'token-stream', 'agent-log', 'approval-prompt', 'run-composer'] as const;
/** The dev elements (`agentwire/inspector`): their own define modules too, never in `agentwire/define` or the bundle. */
const DEV_ELEMENTS = ['agent-inspector', 'transport-compare'] as const;

/** The protocols besides agentwire, each its own entry (`agentwire/protocols/<name>`) and lazily loaded chunk. */
const PROTOCOLS = ['plain', 'ag-ui', 'ai-sdk', 'openai-responses'] as const;

/** Library entries: `dist/<name>.js`, one per subpath of the exports map. */
const entries: Record<string, string> = {
  index: fromRoot('./src/index.ts'),
  protocol: fromRoot('./src/protocol/index.ts'),
  store: fromRoot('./src/store/index.ts'),
  transports: fromRoot('./src/transports/index.ts'),
  run: fromRoot('./src/run/index.ts'),
  protocols: fromRoot('./src/protocols/index.ts'),
  ...Object.fromEntries(PROTOCOLS.map((name) => [`protocols/${name}`, fromRoot(`./src/protocols/${name}/index.ts`)])),
  components: fromRoot('./src/components/index.ts'),
  markdown: fromRoot('./src/markdown/index.ts'),
  define: fromRoot('./src/components/define.ts'),
  ...Object.fromEntries(
    [...ELEMENTS, ...DEV_ELEMENTS].map((tag) => [`define/${tag}`, fromRoot(`./src/components/${tag}/define.ts`)]),
  ),
  // The dev tools: the recorder, recordings, replay and the dev elements' classes.
  inspector: fromRoot('./src/inspector/index.ts'),
  react: fromRoot('./src/react/index.ts'),
  vue: fromRoot('./src/vue/index.ts'),
  svelte: fromRoot('./src/svelte/index.ts'),
  // The backend half: the kit (portable: fetch runtimes), its Node adapter (http + ws), the Redis log (ioredis).
  server: fromRoot('./src/server/index.ts'),
  'server/node': fromRoot('./src/server/node/index.ts'),
  'server/redis': fromRoot('./src/server/redis/index.ts'),
  // The conformance checker (bin/agentwire-check-server.js runs it).
  check: fromRoot('./src/check/index.ts'),
};

/** Shared by both builds and the demo server. */
const common: UserConfig = {
  // `npm start` serves the demo page with the mock server mounted (REST, SSE and WebSocket).
  root: 'demo',
  plugins: [mockServerPlugin()],
  server: { host: '127.0.0.1', port: 6006, strictPort: true },
  // nanostores reads process.env.NODE_ENV at runtime; lib mode does not replace it.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
};

/**
 * A self-contained build of src/bundle.ts (lit, @lit/context, nanostores and every other
 * dependency inside, every element registered), minified into `dir` as `file`.
 */
const selfContained = (dir: string, file: string, output: Record<string, unknown>): UserConfig => ({
  ...common,
  build: {
    outDir: dir,
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    lib: { entry: fromRoot('./src/bundle.ts'), formats: ['es'], fileName: () => file },
    rolldownOptions: { output: { ...output, minify: true } },
  },
});

export default defineConfig(({ mode }) =>
  mode === 'cdn'
    ? // `vite build --mode cdn`: dist/cdn/agentwire.js, the bundle split for a page loading it from
      // an npm CDN: what only some pages use (the markdown path, the protocol decoders, the approval
      // form, the log's template renderers) stays in lazy chunks under dist/cdn/chunks/, fetched on
      // first use from next to the entry.
      selfContained('../dist/cdn', 'agentwire.js', { chunkFileNames: 'chunks/[name]-[hash].js' })
    : mode === 'bundle'
      ? // `vite build --mode bundle`: dist/agentwire.bundle.js, one file: @lit-labs/virtualizer's
        // lazily imported default layout and every lazy chunk go inline too.
        selfContained('../dist', 'agentwire.bundle.js', { codeSplitting: false })
      : {
          ...common,
          build: {
            outDir: '../dist',
            emptyOutDir: true,
            target: 'es2022',
            lib: { entry: entries, formats: ['es'] },
            rolldownOptions: {
              external,
              // Registration code stays in the define entries (the only files listed in `sideEffects`).
              output: { chunkFileNames: 'chunks/[name]-[hash].js' },
            },
          },
        },
);
