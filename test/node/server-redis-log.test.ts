/** The RunLog contract on Redis Streams, against a real redis-server started for this file; two log instances racing in one process. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunAbortedError, createRunKit, createRunServer } from '../../src/server/index.ts';
import { createRedisRunLog } from '../../src/server/redis/index.ts';
import { runLogContract } from '../shared/run-log-contract.ts';
import { runLogTrimContract } from '../shared/run-log-trim-contract.ts';
import { startRedis, type RedisServer } from '../shared/redis-server.ts';

let redis: RedisServer | undefined;
before(async () => {
  redis = await startRedis();
});
after(() => redis?.stop());

runLogContract('RedisRunLog', () => createRedisRunLog({ url: redis!.url }));
runLogTrimContract(
  'RedisRunLog',
  (maxEvents) => createRedisRunLog({ url: redis!.url, maxEvents }),
  (log) => log.checkpointsWritten(),
);

describe('Redis log: two instances in one process', () => {
  it('ask() resolves exactly once, with the first accepted of 20 answers racing over both instances; cancel on one aborts the producer on the other', async () => {
    const logA = await createRedisRunLog({ url: redis!.url });
    const logB = await createRedisRunLog({ url: redis!.url });
    const kitA = createRunKit({ log: logA });
    const kitB = createRunKit({ log: logB });
    const serverA = createRunServer({ runs: kitA });
    const serverB = createRunServer({ runs: kitB });
    try {
      const run = await kitA.create();
      let resolutions = 0;
      const asked = run.ask({ prompt: 'Ship it?', resumeToken: 'rt_race' }).then((answer) => {
        resolutions++;
        return answer;
      });
      await run.flush();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? serverA : serverB).fetch(
            new Request(`http://kit.test/api/runs/${run.id}/input`, {
              method: 'POST',
              body: JSON.stringify({ text: `answer ${i}`, resume_token: 'rt_race' }),
            }),
          ),
        ),
      );
      const ok = answers.map((r, i) => [r.status, i] as const).filter(([status]) => status === 200);
      assert.equal(ok.length, 1, 'one answer accepted');
      assert.ok(answers.every((r) => r.status === 200 || r.status === 409));
      const answer = await asked;
      assert.equal(answer.text, `answer ${ok[0]![1]}`);
      const events = await logB.read(run.id, 0, 100);
      assert.equal(events.filter((e) => e.type === 'input_accepted').length, 1);
      assert.equal(resolutions, 1);

      const aborted = new Promise<unknown>((resolve) =>
        run.signal.addEventListener('abort', () => resolve(run.signal.reason)),
      );
      const cancel = await serverB.fetch(new Request(`http://kit.test/api/runs/${run.id}/cancel`, { method: 'POST' }));
      assert.equal(cancel.status, 200);
      const reason = await aborted;
      assert.ok(reason instanceof RunAbortedError && reason.code === 'run_cancelled');
      assert.equal(kitA.producing, 0);
    } finally {
      await kitA.close();
      await kitB.close();
    }
  });
});
