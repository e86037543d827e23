/**
 * `npm run mock`: the mock server on 127.0.0.1:$PORT (default 8787) until SIGINT/SIGTERM. With
 * `REDIS_URL` its runs live in Redis: any number of mock servers on one Redis serve any request
 * about any run, whichever instance started it (`LEASE_MS`: the producer lease, default 15 s).
 * `MAX_EVENTS` trims each run's log (memory or Redis) to about that many events behind a
 * snapshot checkpoint (docs/PROTOCOL.md, "Trimming"); unset, nothing is trimmed.
 * `MOCK_DEV_ROUTES=1` adds the dev-only endpoints (tests that run instances as processes).
 */
import { MemoryRunLog, type RunLog } from '../src/server/index.ts';
import { createRedisRunLog } from '../src/server/redis/index.ts';
import { DEFAULT_PORT } from './limits.ts';
import { startMockServer } from './server.ts';

const fail = (message: string): never => {
  process.stderr.write(`mock server: ${message}\n`);
  process.exit(1);
};

const rawPort = process.env['PORT'];
const port = rawPort === undefined || rawPort === '' ? DEFAULT_PORT : Number(rawPort);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid PORT ${JSON.stringify(rawPort)}`);

const redisUrl = process.env['REDIS_URL'];
const rawLease = process.env['LEASE_MS'];
const leaseMs = rawLease === undefined || rawLease === '' ? undefined : Number(rawLease);
if (leaseMs !== undefined && (!Number.isInteger(leaseMs) || leaseMs < 100))
  fail(`invalid LEASE_MS ${JSON.stringify(rawLease)}`);
const rawMaxEvents = process.env['MAX_EVENTS'];
const maxEvents = rawMaxEvents === undefined || rawMaxEvents === '' ? undefined : Number(rawMaxEvents);
if (maxEvents !== undefined && (!Number.isSafeInteger(maxEvents) || maxEvents < 1))
  fail(`invalid MAX_EVENTS ${JSON.stringify(rawMaxEvents)} (a positive integer)`);
let log: RunLog | undefined;
if (redisUrl !== undefined && redisUrl !== '') {
  log = await createRedisRunLog({
    url: redisUrl,
    ...(leaseMs !== undefined && { leaseMs }),
    ...(maxEvents !== undefined && { maxEvents }),
  }).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
} else if (maxEvents !== undefined) {
  log = new MemoryRunLog({ maxEvents });
}
// The dev-only endpoints (drop-connections, producing), for tests that run instances as processes.
const devRoutes = process.env['MOCK_DEV_ROUTES'] === '1';

const server = await startMockServer({ port, devRoutes, ...(log && { log }) }).catch((err: unknown) =>
  fail(err instanceof Error ? err.message : String(err)),
);
process.stdout.write(
  `agentwire mock server listening on ${server.url}${redisUrl ? ` (runs in Redis at ${redisUrl})` : ''}${
    maxEvents !== undefined ? `, logs trimmed to ${maxEvents} events` : ''
  }\n`,
);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
