/**
 * `npm run demo`: Vite's dev server as configured in vite.config.ts (the demo page in demo/),
 * with the mock backend mounted by its plugin. It listens on 5173 (`PORT` to change), so it can
 * run next to Storybook (`npm start`, 6006).
 */
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const port = Number(process.env['PORT'] ?? 5173);
const server = await createServer({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  server: { host: '127.0.0.1', port, strictPort: true },
});
await server.listen();
server.printUrls();

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
