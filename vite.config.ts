import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { mockServerPlugin } from './mock-server/vite-plugin.ts';
import pkg from './package.json' with { type: 'json' };

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Runtime dependencies stay external in the library build (the user's bundler dedupes them). */
const external = Object.keys(pkg.dependencies).map((name) => new RegExp(`^${name.replace('/', '\\/')}(\\/|$)`));

export default defineConfig({
  // `npm start` serves the demo page with the mock server mounted (REST, SSE and WebSocket).
  root: 'demo',
  plugins: [mockServerPlugin()],
  server: { host: '127.0.0.1', port: 6006, strictPort: true },
  // nanostores reads process.env.NODE_ENV at runtime; lib mode does not replace it.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: {
        index: fromRoot('./src/index.ts'),
        protocol: fromRoot('./src/protocol/index.ts'),
        store: fromRoot('./src/store/index.ts'),
        transports: fromRoot('./src/transports/index.ts'),
        run: fromRoot('./src/run/index.ts'),
        components: fromRoot('./src/components/index.ts'),
        define: fromRoot('./src/components/define.ts'),
      },
      formats: ['es'],
    },
    rolldownOptions: { external },
  },
});
