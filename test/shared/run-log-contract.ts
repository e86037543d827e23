/**
 * The RunLog contract, as tests every implementation must pass (MemoryRunLog here, RedisRunLog
 * against a real redis-server): seq from 1 and gapless, nothing after done, the first accepted
 * answer wins, cancel expires open requests, retried batches are not applied twice, tails catch
 * up and follow live, client limits count active runs only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogTail, ProducerCommand, RunLog, StoredEvent } from '../../src/server/index.ts';

/** Wait for a tail to have at least `count` records after its cursor (or to finish). */
export async function takeFromTail(tail: LogTail, count: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  while (out.length < count) {
    const records = tail.peek(count - out.length);
    if (records.length > 0) {
      out.push(...records);
      tail.seek(records.at(-1)!.seq);
      continue;
    }
    if (tail.finished) break;
    if (tail.error) throw tail.error;
    await new Promise<void>((resolve) => tail.onReady(resolve));
  }
  return out;
}

let counter = 0;
const freshId = (): string => `contract_${process.pid}_${Date.now().toString(36)}_${++counter}`;

/** Register the contract tests for a log made by `make` (called once per test; closed after). */
export function runLogContract(name: string, make: () => Promise<RunLog> | RunLog): void {
  const withLog = async (fn: (log: RunLog) => Promise<void>): Promise<void> => {
    const log = await make();
    try {
      await fn(log);
    } finally {
      await log.close();
    }
  };

  describe(`RunLog contract: ${name}`, () => {
    it("lists a thread's runs in creation order; other threads and runs without one stay apart", () =>
      withLog(async (log) => {
        const thread = `th_${freshId()}`;
        const [a, b, c, other] = [freshId(), freshId(), freshId(), freshId()];
        await log.create(a, { threadId: thread });
        await log.create(other, { threadId: `${thread}_other` });
        await log.create(b, { threadId: thread });
        await log.create(freshId());
        await log.create(c, { threadId: thread });
        await log.append(a, { events: [{ type: 'done', state: 'completed' }] });
        const runs = await log.threadRuns(thread);
        assert.deepEqual(
          runs.map((r) => [r.runId, r.threadId, r.finished]),
          [
            [a, thread, true],
            [b, thread, false],
            [c, thread, false],
          ],
        );
        assert.deepEqual(await log.threadRuns(`${thread}_none`), []);
      }));

    it('appends with seqs from 1, gapless; reads after a seq; refuses an id in use', () =>
      withLog(async (log) => {
        const id = freshId();
        const info = await log.create(id, { threadId: 'th_1' });
        assert.deepEqual(
          { lastSeq: info.lastSeq, finished: info.finished, threadId: info.threadId },
          { lastSeq: 0, finished: false, threadId: 'th_1' },
        );
        await assert.rejects(log.create(id), (error: Error & { code?: string }) => error.code === 'run_exists');
        const first = await log.append(id, {
          events: [
            { type: 'status', state: 'running' },
            { type: 'token', content: 'a' },
          ],
        });
        assert.deepEqual(first, { ok: true, firstSeq: 1, lastSeq: 2, finished: false });
        const second = await log.append(id, { events: [{ type: 'token', content: 'b', message_id: 'm1' }] });
        assert.ok(second.ok && second.firstSeq === 3);
        const all = await log.read(id, 0, 100);
        assert.deepEqual(
          all.map((r) => r.seq),
          [1, 2, 3],
        );
        assert.deepEqual(JSON.parse(all[2]!.json), {
          type: 'token',
          content: 'b',
          message_id: 'm1',
          run_id: id,
          seq: 3,
        });
        assert.equal(all[2]!.sse, `id: 3\nevent: token\ndata: ${all[2]!.json}\n\n`);
        assert.deepEqual(
          (await log.read(id, 1, 1)).map((r) => r.seq),
          [2],
        );
        assert.deepEqual(await log.read(id, 3, 10), []);
        assert.equal((await log.info(id))?.lastSeq, 3);
        assert.equal(await log.info(`${id}-missing`), undefined);
      }));

    it('keeps unknown types and fields as they are', () =>
      withLog(async (log) => {
        const id = freshId();
        await log.create(id);
        await log.append(id, {
          events: [{ type: 'thinking', text: 'hmm', at: '2026-12-01T00:00:00.000Z', nested: { a: [1, 2] } }],
        });
        const [record] = await log.read(id, 0, 10);
        assert.ok(record);
        assert.equal(record.type, 'thinking');
        assert.deepEqual(JSON.parse(record.json), {
          type: 'thinking',
          text: 'hmm',
          at: '2026-12-01T00:00:00.000Z',
          nested: { a: [1, 2] },
          run_id: id,
          seq: 1,
        });
        assert.ok(record.event.type === 'unknown' && record.event.event_type === 'thinking');
      }));

    it('appends nothing after done; a batch stops at its done', () =>
      withLog(async (log) => {
        const id = freshId();
        await log.create(id);
        const ended = await log.append(id, {
          events: [
            { type: 'token', content: 'x' },
            { type: 'done', state: 'completed' },
            { type: 'token', content: 'late' },
          ],
        });
        assert.deepEqual(ended, { ok: true, firstSeq: 1, lastSeq: 2, finished: true });
        assert.deepEqual(await log.append(id, { events: [{ type: 'token', content: 'y' }] }), {
          ok: false,
          reason: 'run_finished',
        });
        assert.equal((await log.info(id))?.finished, true);
        assert.equal((await log.read(id, 0, 10)).length, 2);
      }));

    it('a retried batch (same number) is applied once', () =>
      withLog(async (log) => {
        const id = freshId();
        await log.create(id);
        const a = await log.append(id, { events: [{ type: 'token', content: 'a' }], batch: 1 });
        const again = await log.append(id, { events: [{ type: 'token', content: 'a' }], batch: 1 });
        assert.deepEqual(again, a);
        await log.append(id, { events: [{ type: 'token', content: 'b' }], batch: 2 });
        assert.deepEqual(
          (await log.read(id, 0, 10)).map((r) => r.wire['content']),
          ['a', 'b'],
        );
      }));

    it('answer: the first accepted reply wins; input_accepted is in the log before the outcome; the producer is told once', () =>
      withLog(async (log) => {
        const id = freshId();
        await log.create(id);
        const commands: ProducerCommand[] = [];
        let told!: () => void;
        const first = new Promise<void>((resolve) => (told = resolve));
        const lease = log.own(id, (command) => {
          commands.push(command);
          told();
        });
        await log.append(id, {
          events: [{ type: 'need_input', prompt: 'ok?', resume_token: 'rt_1' }],
          opens: ['rt_1'],
        });
        const unknown = await log.answer(id, { type: 'user_reply', text: 'x', resume_token: 'rt_nope' });
        assert.ok(!unknown.ok && unknown.error.code === 'stale_resume_token');
        const outcomes = await Promise.all([
          log.answer(id, { type: 'user_reply', text: 'yes', resume_token: 'rt_1' }),
          log.answer(id, { type: 'user_reply', text: 'no', resume_token: 'rt_1' }),
        ]);
        assert.deepEqual(outcomes.map((o) => o.ok).sort(), [false, true]);
        const refused = outcomes.find((o) => !o.ok);
        assert.equal(refused?.error.code, 'stale_resume_token');
        const events = await log.read(id, 0, 10);
        assert.deepEqual(
          events.map((r) => r.type),
          ['need_input', 'input_accepted'],
        );
        await first;
        // A command that would follow the first one arrives in the same delivery; there is none.
        await log.read(id, 0, 1);
        assert.equal(commands.length, 1);
        assert.ok(commands[0]?.type === 'reply' && commands[0].reply.resume_token === 'rt_1');
        lease.release();
      }));

    it('cancel: expires open requests, appends status + done cancelled, tells the producer; then run_finished', () =>
      withLog(async (log) => {
        const id = freshId();
        await log.create(id);
        let cancelled!: () => void;
        const told = new Promise<void>((resolve) => (cancelled = resolve));
        const lease = log.own(id, (command) => {
          if (command.type === 'cancel') cancelled();
        });
        await log.append(id, {
          events: [{ type: 'need_input', prompt: 'ok?', resume_token: 'rt_c' }],
          opens: ['rt_c'],
        });
        assert.deepEqual(await log.cancel(id), { ok: true });
        const again = await log.cancel(id);
        assert.ok(!again.ok && again.error.code === 'run_finished');
        const late = await log.answer(id, { type: 'user_reply', text: 'yes', resume_token: 'rt_c' });
        assert.ok(!late.ok && late.error.code === 'stale_resume_token');
        const other = await log.answer(id, { type: 'user_reply', text: 'yes', resume_token: 'rt_other' });
        assert.ok(!other.ok && other.error.code === 'run_finished');
        assert.deepEqual(
          (await log.read(id, 0, 10)).map((r) => r.wire['state'] ?? r.type),
          ['need_input', 'cancelled', 'cancelled'],
        );
        await told;
        lease.release();
      }));

    it('expire: closes an open request with its events; an answered one is not expired', () =>
      withLog(async (log) => {
        const id = freshId();
        await log.create(id);
        await log.append(id, {
          events: [
            { type: 'need_input', prompt: 'a', resume_token: 'rt_a' },
            { type: 'need_input', prompt: 'b', resume_token: 'rt_b' },
          ],
          opens: ['rt_a', 'rt_b'],
        });
        assert.ok((await log.answer(id, { type: 'user_reply', text: 'yes', resume_token: 'rt_a' })).ok);
        assert.equal(
          await log.expire(id, 'rt_a', [{ type: 'error', message: 'expired', code: 'input_expired' }]),
          false,
        );
        assert.equal(
          await log.expire(id, 'rt_b', [{ type: 'error', message: 'expired', code: 'input_expired' }]),
          true,
        );
        const late = await log.answer(id, { type: 'user_reply', text: 'yes', resume_token: 'rt_b' });
        assert.ok(!late.ok && late.error.message.includes('expired'));
        assert.deepEqual(
          (await log.read(id, 0, 10)).map((r) => r.type),
          ['need_input', 'need_input', 'input_accepted', 'error'],
        );
      }));

    it('a tail catches up from its cursor, then follows live, then finishes', () =>
      withLog(async (log) => {
        const id = freshId();
        await log.create(id);
        await log.append(id, {
          events: [
            { type: 'token', content: '1' },
            { type: 'token', content: '2' },
          ],
        });
        const tail = log.tail(id, 1);
        assert.deepEqual(
          (await takeFromTail(tail, 1)).map((r) => r.seq),
          [2],
        );
        const live = takeFromTail(tail, 2);
        await log.append(id, { events: [{ type: 'token', content: '3' }] });
        await log.append(id, { events: [{ type: 'done', state: 'completed' }] });
        assert.deepEqual(
          (await live).map((r) => r.seq),
          [3, 4],
        );
        assert.deepEqual(await takeFromTail(tail, 1), []);
        assert.equal(tail.finished, true);
        tail.close();
        assert.equal(log.followerCount(id), 0);
      }));

    it('client limits count active runs: over the limit is refused until one finishes', () =>
      withLog(async (log) => {
        const key = freshId();
        const a = freshId();
        await log.create(a, { client: { key, limit: 1 } });
        await assert.rejects(
          log.create(freshId(), { client: { key, limit: 1 } }),
          (error: Error & { code?: string }) => error.code === 'too_many_runs',
        );
        await log.append(a, { events: [{ type: 'done', state: 'completed' }] });
        await log.create(freshId(), { client: { key, limit: 1 } });
      }));
  });
}
