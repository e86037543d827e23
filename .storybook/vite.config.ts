import { defineConfig } from 'vite';
import { mockServerPlugin } from '../mock-server/vite-plugin.ts';

/**
 * Storybook's Vite config (the root vite.config.ts is the library build): the live mock server
 * mounted into the dev server (REST, SSE, WebSocket), and nanostores' NODE_ENV read replaced.
 */
export default defineConfig({
  plugins: [mockServerPlugin()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  // Storybook's own manager and docs chunks are large; nothing to act on.
  build: { chunkSizeWarningLimit: 4096 },
  optimizeDeps: {
    // Pre-bundled up front, so a fresh machine's first visit neither reloads the page when Vite
    // discovers them nor loads a second copy of lit (Storybook's renderer imports
    // lit/directive-helpers.js on its own).
    include: [
      'lit',
      'lit/decorators.js',
      'lit/directive-helpers.js',
      'lit/directives/if-defined.js',
      'lit/directives/style-map.js',
      'lit/directives/unsafe-html.js',
      '@lit/context',
      '@lit-labs/virtualizer/virtualize.js',
      'nanostores',
      'eventsource-parser',
    ],
  },
});
