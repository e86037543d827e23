/**
 * A mock server on a free loopback port for one Node test file: started before its tests, closed
 * after. With `MOCK_LOG=redis` it runs on a RedisRunLog over a redis-server started for the file
 * (the same tests then check the kit's Redis path).
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startMockServer, type MockServer } from '../../mock-server/server.ts';
import { createRedisRunLog } from '../../src/server/redis/index.ts';
import { startRedis, type RedisServer } from './redis-server.ts';

/** The file's mock server and its URLs (read them inside tests: the server starts in `before`). */
export interface MockServerFixture {
  /** The running server. */
  readonly server: MockServer;
  /** Its base URL, `http://127.0.0.1:<port>`. */
  readonly base: string;
  /** `base` + `path`. */
  readonly api: (path: string) => string;
}

/** Start a mock server on a free port before the file's tests and close it after them. */
export function useMockServer(): MockServerFixture {
  let server: MockServer | undefined;
  let redis: RedisServer | undefined;
  before(async () => {
    if (process.env['MOCK_LOG'] === 'redis') {
      redis = await startRedis();
      server = await startMockServer({ port: 0, log: await createRedisRunLog({ url: redis.url }) });
    } else {
      server = await startMockServer({ port: 0 });
    }
  });
  after(async () => {
    await server?.close();
    await redis?.stop();
  });
  const running = (): MockServer => {
    if (!server) throw new Error('the mock server starts in before(): use it inside a test');
    return server;
  };
  return {
    get server() {
      return running();
    },
    get base() {
      return running().url;
    },
    api: (path) => `${running().url}${path}`,
  };
}

/**
 * Wait until `check` holds, re-checked every few ms (the server's connection set and a run's
 * listeners have no change event). The deadline only turns a hang into a failure naming `what`:
 * it is far beyond what opening or closing connections takes on a busy machine.
 */
export async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
