/**
 * The conformance checker (agentwire-check-server): the kit's own handlers pass it on the memory
 * log and on Redis; a server that breaks a rule fails the check that names it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkServer, formatReport, main, parseArgs, UsageError, type CheckReport } from '../../src/check/index.ts';
import { MemoryRunLog, createRunKit, createRunServer, type RunServer } from '../../src/server/index.ts';
import { listen, type NodeListener } from '../../src/server/node/index.ts';
import { createRedisRunLog } from '../../src/server/redis/index.ts';
import { startMockServer, type MockServer } from '../../mock-server/server.ts';
import { startRedis, type RedisServer } from '../shared/redis-server.ts';

const BODIES = { body: { scenario: 'quick', speed: 0 }, askBody: { scenario: 'agent', speed: 0 } };
/** Trimming on: the quick (49 events) and agent runs stay under the cap, the markdown run (341) is trimmed. */
const TRIMMING = { ...BODIES, maxEvents: 100, trimBody: { scenario: 'markdown', speed: 0 } };

/** The checker's `--body` and `--ask-body` arguments for these bodies. */
const bodyArgs = (bodies: typeof BODIES): string[] => [
  '--body',
  JSON.stringify(bodies.body),
  '--ask-body',
  JSON.stringify(bodies.askBody),
];

function failures(report: CheckReport): string[] {
  return report.results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.detail}`);
}

describe('agentwire-check-server', () => {
  let redis: RedisServer;
  let memory: MockServer;
  let onRedis: MockServer;
  let memoryTrimmed: MockServer;
  let redisTrimmed: MockServer;
  before(async () => {
    redis = await startRedis();
    memory = await startMockServer({ port: 0 });
    onRedis = await startMockServer({ port: 0, log: await createRedisRunLog({ url: redis.url }) });
    memoryTrimmed = await startMockServer({ port: 0, log: new MemoryRunLog({ maxEvents: 100 }) });
    redisTrimmed = await startMockServer({
      port: 0,
      log: await createRedisRunLog({ url: redis.url, prefix: 'trimmed:', maxEvents: 100 }),
    });
  });
  after(async () => {
    await memory.close();
    await onRedis.close();
    await memoryTrimmed.close();
    await redisTrimmed.close();
    await redis.stop();
  });

  /** The ids of the skipped checks. */
  const skipped = (report: CheckReport): string[] => report.results.filter((r) => r.status === 'skip').map((r) => r.id);

  it('the kit on the memory log passes every check; trimming is skipped, saying how to enable it', async () => {
    const report = await checkServer({ baseUrl: memory.url, ...BODIES });
    assert.deepEqual(failures(report), [], formatReport(report));
    assert.deepEqual(skipped(report), ['trimmed'], formatReport(report));
    assert.match(report.results.find((r) => r.id === 'trimmed')!.detail, /not enabled: pass --max-events N/);
    assert.ok(report.passed >= 16);
  });

  it('the kit on Redis passes every check', async () => {
    const report = await checkServer({ baseUrl: onRedis.url, ...BODIES });
    assert.deepEqual(failures(report), [], formatReport(report));
    assert.deepEqual(skipped(report), ['trimmed'], formatReport(report));
  });

  it('with trimming on (maxEvents), the kit passes every check, trimming included, in memory and on Redis', async () => {
    for (const server of [memoryTrimmed, redisTrimmed]) {
      const report = await checkServer({ baseUrl: server.url, ...TRIMMING });
      assert.deepEqual(failures(report), [], formatReport(report));
      assert.deepEqual(skipped(report), [], formatReport(report));
      assert.match(report.results.find((r) => r.id === 'trimmed')!.detail, /^341 events$/);
    }
  });

  it('told --max-events, a backend that does not trim fails the trimming check, naming what it saw', async () => {
    const report = await checkServer({ baseUrl: memory.url, ...TRIMMING, timeoutMs: 1000 });
    assert.deepEqual(
      report.results.filter((r) => r.status === 'fail').map((r) => r.id),
      ['trimmed'],
    );
    assert.match(
      report.results.find((r) => r.id === 'trimmed')!.detail,
      /^events\?after=1 of a run of 341 events \(more than twice --max-events\): expected 410 \{error:\{code:"events_trimmed",message\}\}, got 200 \{"run_id"/,
    );
  });

  it('told --max-events with a run too short to be trimmed, the check fails and says which option to change', async () => {
    const report = await checkServer({ baseUrl: memoryTrimmed.url, ...BODIES, maxEvents: 100 });
    assert.match(
      report.results.find((r) => r.id === 'trimmed')!.detail,
      /the run has 49 events; --max-events 100 needs a run of more than 201 \(--trim-body\)/,
    );
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
        ['sse-live', 'socket', 'input', 'cancel', 'trimmed'],
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
      [memory.url, ...bodyArgs(BODIES), '--header', 'X-Check: 1'],
      (text) => (out += text),
      () => undefined,
    );
    assert.equal(code, 0, out);
    assert.match(out, /16 passed, 0 failed, 1 skipped/);
    assert.match(out, /– trimmed +trimming \(--max-events\)[^\n]*\n +not enabled: pass --max-events N/);
    out = '';
    const trimmed = await main(
      [
        redisTrimmed.url,
        ...bodyArgs(TRIMMING),
        '--max-events',
        String(TRIMMING.maxEvents),
        '--trim-body',
        JSON.stringify(TRIMMING.trimBody),
      ],
      (text) => (out += text),
      () => undefined,
    );
    assert.equal(trimmed, 0, out);
    assert.match(out, /17 passed, 0 failed, 0 skipped/);
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
    assert.throws(() => parseArgs(['http://h', '--max-events', '0']), /--max-events needs a positive integer/);
    assert.equal(parseArgs(['http://h', '--max-events', '500']).maxEvents, 500);
    assert.deepEqual(parseArgs(['http://h', '--header', 'Authorization: Bearer t', '--no-cors']).headers, {
      Authorization: 'Bearer t',
    });
  });
});
