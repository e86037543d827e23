/** `npm run mock`: the mock server on 127.0.0.1:$PORT (default 8787) until SIGINT/SIGTERM. */
import { DEFAULT_PORT } from './limits.ts';
import { startMockServer } from './server.ts';

const rawPort = process.env['PORT'];
const port = rawPort === undefined || rawPort === '' ? DEFAULT_PORT : Number(rawPort);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`mock server: invalid PORT ${JSON.stringify(rawPort)}\n`);
  process.exit(1);
}

const server = await startMockServer({ port }).catch((err: unknown) => {
  process.stderr.write(`mock server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
process.stdout.write(`agentwire mock server listening on ${server.url}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
