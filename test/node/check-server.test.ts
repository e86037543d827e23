/**
 * The conformance checker (agentwire-check-server): the kit's own handlers pass it on the memory
 * log and on Redis; a server that breaks a rule fails the check that names it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkServer, formatReport, main, parseArgs, UsageError, type CheckReport } from '../../src/check/index.ts';
import { createRunKit, createRunServer, type RunServer } from '../../src/server/index.ts';
import { listen, type NodeListener } from '../../src/server/node/index.ts';
import { createRedisRunLog } from '../../src/server/redis/index.ts';
import { startMockServer, type MockServer } from '../../mock-server/server.ts';
import { startRedis, type RedisServer } from '../shared/redis-server.ts';

const BODIES = { body: { scenario: 'quick', speed: 0 }, askBody: { scenario: 'agent', speed: 0 } };

function failures(report: CheckReport): string[] {
  return report.results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.detail}`);
}

describe('agentwire-check-server', () => {
  let redis: RedisServer;
  let memory: MockServer;
  let onRedis: MockServer;
  before(async () => {
    redis = await startRedis();
    memory = await startMockServer({ port: 0 });
    onRedis = await startMockServer({ port: 0, log: await createRedisRunLog({ url: redis.url }) });
  });
  after(async () => {
    await memory.close();
    await onRedis.close();
    await redis.stop();
  });

  it('the kit on the memory log passes every check', async () => {
    const report = await checkServer({ baseUrl: memory.url, ...BODIES });
    assert.deepEqual(failures(report), [], formatReport(report));
    assert.equal(report.skipped, 0, formatReport(report));
    assert.ok(report.passed >= 16);
  });

  it('the kit on Redis passes every check', async () => {
    const report = await checkServer({ baseUrl: onRedis.url, ...BODIES });
    assert.deepEqual(failures(report), [], formatReport(report));
    assert.equal(report.skipped, 0, formatReport(report));
  });

  it('a server that ignores Last-Event-ID fails the resume and 204 checks, naming what it saw', async () => {
    const runs = createRunKit();
    const real = createRunServer({
      runs,
      onCreate: () => ({
        produce: (run) => {
          run.token('hello');
        },
      }),
    });
    const broken: RunServer = {
      ...real,
      handle: (request) =>
        real.handle({ ...request, header: (name) => (name === 'last-event-id' ? undefined : request.header(name)) }),
    };
    const node: NodeListener = await listen(broken);
    try {
      const report = await checkServer({ baseUrl: node.url });
      const failed = report.results.filter((r) => r.status === 'fail').map((r) => r.id);
      assert.deepEqual(failed.sort(), ['sse-204', 'sse-resume']);
      assert.match(report.results.find((r) => r.id === 'sse-resume')!.detail, /Last-Event-ID/);
      assert.deepEqual(
        report.results.filter((r) => r.status === 'skip').map((r) => r.id),
        ['sse-live', 'socket', 'input', 'cancel'],
        'the approval checks need --ask-body',
      );
    } finally {
      await node.close();
      await runs.close();
    }
  });

  it('the command line: exit 0 when every check passes, 2 on a usage error', async () => {
    let out = '';
    const code = await main(
      [
        memory.url,
        '--body',
        JSON.stringify(BODIES.body),
        '--ask-body',
        JSON.stringify(BODIES.askBody),
        '--header',
        'X-Check: 1',
      ],
      (text) => (out += text),
      () => undefined,
    );
    assert.equal(code, 0, out);
    assert.match(out, /16 passed, 0 failed, 0 skipped/);
    let err = '';
    assert.equal(
      await main(
        ['--body', '{'],
        () => undefined,
        (text) => (err += text),
      ),
      2,
    );
    assert.match(err, /usage: agentwire-check-server/);
    assert.throws(() => parseArgs(['ftp://x']), UsageError);
    assert.deepEqual(parseArgs(['http://h', '--header', 'Authorization: Bearer t', '--no-cors']).headers, {
      Authorization: 'Bearer t',
    });
  });
});
