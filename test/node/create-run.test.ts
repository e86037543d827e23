import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRun } from '../../src/run/index.ts';
import { TransportError } from '../../src/transports/index.ts';

/** A server whose POST answers are set per path: [status, headers, body]. */
const answers: Record<string, [number, Record<string, string>, string]> = {
  '/api/runs': [201, { 'Content-Type': 'application/json' }, '{"run_id":"run_1"}'],
  '/api/tasks': [200, { 'Content-Type': 'application/json' }, '{"task_id":"t-7","status":"queued"}'],
  '/numbers': [200, { 'Content-Type': 'application/json' }, '{"id":42}'],
  '/located': [201, { Location: '/api/tasks/t%2F9' }, ''],
  '/nothing': [200, { 'Content-Type': 'application/json' }, '{"ok":true}'],
  '/broken': [200, { 'Content-Type': 'application/json' }, '{"run_id":'],
};
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    const [status, headers, body] = answers[req.url ?? ''] ?? [404, {}, ''];
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createRun reads the new run’s id as servers give it', () => {
  it('from run_id, a plain task_id or id (a number taken as text), or the Location header', async () => {
    assert.equal(await createRun({ baseUrl: base }), 'run_1');
    assert.equal(await createRun({ baseUrl: base, paths: { runs: '/api/tasks' } }), 't-7');
    assert.equal(await createRun({ baseUrl: base, paths: { runs: '/numbers' } }), '42');
    assert.equal(await createRun({ baseUrl: base, paths: { runs: '/located' } }), 't/9');
  });

  it('an answer naming no run, or not JSON, is a typed protocol error (and is not retried: it may have started work)', async () => {
    for (const runs of ['/nothing', '/broken']) {
      await assert.rejects(
        createRun({ baseUrl: base, paths: { runs } }),
        (e: unknown) => e instanceof TransportError && e.code === 'protocol',
      );
    }
  });
});
