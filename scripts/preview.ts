/** `npm run preview`: the static Storybook build served together with the mock server (no dev server). */
import { existsSync } from 'node:fs';
import { preview } from 'vite';
import { mockServerPlugin } from '../mock-server/vite-plugin.ts';

/** Serve `storybook-static/` with the mock backend on `port` (0 = a free one); resolves with the URL. */
export async function startPreview(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = await preview({
    configFile: false,
    logLevel: 'warn',
    build: { outDir: 'storybook-static' },
    preview: { host: '127.0.0.1', port, strictPort: port !== 0 },
    plugins: [mockServerPlugin()],
  });
  const address = server.httpServer.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${actual}`, close: () => server.close() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync('storybook-static/index.json')) {
    console.error('storybook-static/ is missing: run `npm run build-storybook` first');
    process.exit(1);
  }
  const server = await startPreview(Number(process.env['PORT'] ?? 6007));
  console.log(`agentwire Storybook (static build) with the mock server: ${server.url}`);
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
