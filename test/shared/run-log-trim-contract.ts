/**
 * Trimming with a checkpoint, as every RunLog with `maxEvents` must do it (MemoryRunLog, and
 * RedisRunLog against a real redis-server): the oldest events go, a checkpoint covers them, a
 * snapshot still answers the whole run, and a read after a trimmed seq is refused with
 * `events_trimmed` — on the log, on the events page and SSE (410) and on the WebSocket (4410).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MemoryRunLog,
  RunKitError,
  RunViews,
  createRunServer,
  createRunKit,
  type RunLog,
} from '../../src/server/index.ts';
import { takeFromTail } from './run-log-contract.ts';

let counter = 0;
const freshId = (): string => `trim_${process.pid}_${Date.now().toString(36)}_${++counter}`;

/** What a run of `n` tokens (one per append) and a done looks like. */
function tokenText(n: number): string {
  return Array.from({ length: n }, (_, i) => `t${i} ✓ `).join('');
}

async function appendRun(log: RunLog, runId: string, tokens: number, done = true): Promise<void> {
  await log.create(runId);
  await log.append(runId, { events: [{ type: 'status', state: 'running' }], batch: 1 });
  for (let i = 0; i < tokens; i++)
    await log.append(runId, { events: [{ type: 'token', text: `t${i} ✓ `, message_id: 'm1' }], batch: i + 2 });
  if (done) await log.append(runId, { events: [{ type: 'done', state: 'completed' }], batch: tokens + 2 });
}

/** A log trimmed to `maxEvents` keeps between maxEvents and 1.5 × maxEvents of its `lastSeq` events. */
function assertTrimWindow(trimmedThrough: number, lastSeq: number, maxEvents: number): void {
  assert.ok(
    trimmedThrough >= lastSeq - maxEvents * 1.5 && trimmedThrough <= lastSeq - maxEvents,
    `trimmed through ${trimmedThrough} of ${lastSeq} (max ${maxEvents} events)`,
  );
}

function isTrimmed(error: unknown): boolean {
  return error instanceof RunKitError && error.code === 'events_trimmed';
}

/**
 * Register the trimming tests for logs made by `make(maxEvents)`; `settle` waits until the log
 * stored the checkpoints it is writing (the Redis log writes them after the append answered).
 */
export function runLogTrimContract<L extends RunLog>(
  name: string,
  make: (maxEvents: number) => Promise<L> | L,
  settle: (log: L) => Promise<void> = () => Promise.resolve(),
): void {
  describe(`RunLog trimming: ${name}`, () => {
    it('keeps between maxEvents and 1.5 × maxEvents events; older reads are events_trimmed; the checkpoint and a fresh view hold the whole text', async () => {
      const log = await make(10);
      const plain = new MemoryRunLog();
      try {
        const id = freshId();
        await appendRun(log, id, 60);
        await appendRun(plain, id, 60);
        await settle(log);
        const info = (await log.info(id))!;
        assert.equal(info.lastSeq, 62);
        assertTrimWindow(info.trimmedThrough, 62, 10);
        await assert.rejects(log.read(id, 0, 100), isTrimmed);
        await assert.rejects(log.read(id, info.trimmedThrough - 1, 100), isTrimmed);
        const kept = await log.read(id, info.trimmedThrough, 100);
        assert.deepEqual(
          kept.map((r) => r.seq),
          Array.from({ length: 62 - info.trimmedThrough }, (_, i) => info.trimmedThrough + 1 + i),
        );
        const checkpoint = (await log.checkpoint(id))!;
        assert.ok(checkpoint.seq >= info.trimmedThrough, 'the checkpoint covers every trimmed event');
        assert.equal(checkpoint.snapshot.last_seq, checkpoint.seq);
        assert.equal(checkpoint.snapshot.messages[0]!.text, tokenText(checkpoint.seq - 1));
        // A view that never saw the run starts from the checkpoint: same snapshot as the untrimmed log's.
        const fresh = await new RunViews(log).caughtUp(id);
        const full = await new RunViews(plain).caughtUp(id);
        assert.deepEqual(fresh.snapshot(), full.snapshot());
        assert.equal(fresh.snapshot().messages[0]!.text, tokenText(60));
      } finally {
        await log.close();
        await plain.close();
      }
    });

    it('a run appended in one batch with its done (it ended within one turn) is trimmed too', async () => {
      const log = await make(10);
      try {
        const id = freshId();
        await log.create(id);
        const events = [
          { type: 'status', state: 'running' },
          ...Array.from({ length: 40 }, (_, i) => ({ type: 'token', text: `t${i} ✓ `, message_id: 'm1' })),
          { type: 'done', state: 'completed' },
        ];
        await log.append(id, { events, batch: 1 });
        await settle(log);
        const info = (await log.info(id))!;
        assert.equal(info.lastSeq, 42);
        assertTrimWindow(info.trimmedThrough, 42, 10);
        await assert.rejects(log.read(id, 0, 100), isTrimmed);
        const fresh = await new RunViews(log).caughtUp(id);
        assert.equal(fresh.snapshot().messages[0]!.text, tokenText(40));
      } finally {
        await log.close();
      }
    });

    it('a tail behind the trim ends with events_trimmed; one at the oldest kept event reads to the end', async () => {
      const log = await make(10);
      try {
        const id = freshId();
        await appendRun(log, id, 40);
        await settle(log);
        const { trimmedThrough } = (await log.info(id))!;
        const behind = log.tail(id, 0);
        await new Promise<void>((resolve) => behind.onReady(resolve));
        // The Redis tail learns of the trim from its catch-up read: wait for it, not for a time.
        while (!behind.error) {
          assert.deepEqual(behind.peek(10), []);
          await new Promise<void>((resolve) => behind.onReady(resolve));
        }
        assert.ok(isTrimmed(behind.error));
        behind.close();
        const ok = log.tail(id, trimmedThrough);
        const records = await takeFromTail(ok, 100);
        assert.equal(records[0]!.seq, trimmedThrough + 1);
        assert.equal(records.at(-1)!.type, 'done');
        assert.equal(ok.error, undefined);
        ok.close();
      } finally {
        await log.close();
      }
    });

    it('over HTTP: the snapshot answers the whole run; events page and SSE after a trimmed seq answer 410 events_trimmed', async () => {
      const log = await make(8);
      const kit = createRunKit({ log });
      const server = createRunServer({ runs: kit });
      try {
        const run = await kit.create();
        run.status('running');
        for (let i = 0; i < 30; i++) {
          run.token(`t${i} ✓ `, 'm1');
          await run.flush();
        }
        await run.done({});
        await settle(log);
        const { trimmedThrough } = (await log.info(run.id))!;
        assert.ok(trimmedThrough > 0);
        const base = `http://kit.test/api/runs/${run.id}`;
        const snapshot = (await (await server.fetch(new Request(base))).json()) as {
          messages: { text: string }[];
          last_seq: number;
          state: string;
        };
        assert.equal(snapshot.messages[0]!.text, tokenText(30));
        assert.equal(snapshot.state, 'done');
        const page = await server.fetch(new Request(`${base}/events?after=0`));
        assert.equal(page.status, 410);
        assert.equal(((await page.json()) as { error: { code: string } }).error.code, 'events_trimmed');
        const sse = await server.fetch(new Request(`${base}/stream`, { headers: { 'Last-Event-ID': '1' } }));
        assert.equal(sse.status, 410);
        assert.equal(((await sse.json()) as { error: { code: string } }).error.code, 'events_trimmed');
        const after = await server.fetch(new Request(`${base}/stream?after=${trimmedThrough - 1}`));
        assert.equal(after.status, 410);
        await after.body?.cancel();
        // From the snapshot's seq on, nothing is missing.
        const rest = await server.fetch(new Request(`${base}/events?after=${trimmedThrough}`));
        assert.equal(rest.status, 200);
        const body = (await rest.json()) as { events: { seq: number }[]; last_seq: number };
        assert.equal(body.events[0]!.seq, trimmedThrough + 1);
      } finally {
        server.close();
        await kit.close();
      }
    });
  });
}
