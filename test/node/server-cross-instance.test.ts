/**
 * The server kit across instances, with real parts: a redis-server (append-only, fsync always)
 * and two `npm run mock` instances on it as separate processes on loopback, a TCP load balancer
 * in front when a client must land on another instance. Instances are killed with SIGKILL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunSnapshot } from '../../src/protocol/index.ts';
import { connectRun } from '../../src/run/index.ts';
import type { RunHandle } from '../../src/run/types.ts';
import { PRODUCING_PATH } from '../../mock-server/dev-routes.ts';
import {
  allEvents,
  createRun,
  fetchJson,
  postJson,
  SseClient,
  waitForEvent,
  type JsonAnswer,
} from '../../mock-server/testing.ts';
import { fullText } from '../../src/store/index.ts';
import { startBalancer, type Balancer } from '../shared/balancer.ts';
import { startInstance, type Instance } from '../shared/instances.ts';
import { startRedis, type RedisServer } from '../shared/redis-server.ts';

const LEASE_MS = 1500;

let redis: RedisServer;
let a: Instance;
let b: Instance;

const start = (name: string): Promise<Instance> => startInstance({ name, redisUrl: redis.url, leaseMs: LEASE_MS });

before(async () => {
  redis = await startRedis({ persistent: true });
  [a, b] = await Promise.all([start('A'), start('B')]);
});
after(async () => {
  await Promise.all([a.stop(), b.stop()]);
  await redis.stop();
});

/** What a resuming SSE reader received: every event's seq, the text of its tokens, its connections. */
interface Read {
  seqs: number[];
  text: string;
  connections: number;
  last: Record<string, unknown> | undefined;
}

/**
 * Read a run's stream to its `done`, reconnecting with Last-Event-ID after every cut (as
 * EventSource does), and account for exactly what the wire delivered. `onEvent` sees each seq.
 */
async function readResuming(base: () => string, runId: string, onEvent?: (seq: number) => void): Promise<Read> {
  const read: Read = { seqs: [], text: '', connections: 0, last: undefined };
  let last = 0;
  for (let attempt = 0; attempt < 200; attempt++) {
    let stream: SseClient;
    try {
      stream = await SseClient.open(`${base()}/api/runs/${runId}/stream`, {
        headers: { 'Last-Event-ID': String(last) },
      });
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25)); // retry pacing, as a client's backoff
      continue;
    }
    if (stream.response.status === 204) return read;
    if (stream.response.status !== 200) {
      stream.close();
      await new Promise((resolve) => setTimeout(resolve, 25));
      continue;
    }
    read.connections++;
    for (;;) {
      const message = await stream.next();
      if (!message) break;
      const seq = Number(message.id);
      const event = JSON.parse(message.data) as Record<string, unknown>;
      read.seqs.push(seq);
      read.last = event;
      last = seq;
      if (event['type'] === 'token') read.text += String(event['content']);
      onEvent?.(seq);
      if (event['type'] === 'done') {
        stream.close();
        return read;
      }
    }
  }
  throw new Error('gave up reconnecting');
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** The run's snapshot on instance `base`, without the time it was served at (the same run reads the same on both). */
async function snapshot(base: string, runId: string): Promise<RunSnapshot> {
  const { server_time: _served, ...state } = (await fetchJson<RunSnapshot>(`${base}/api/runs/${runId}`)).body;
  return state;
}

/** Re-check an instance's state every few ms (a process has no change event to wait on). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Connect the agentwire client (SSE) and resolve when its run ended; records every connection status it went through. */
function follow(baseUrl: string, runId: string): { handle: RunHandle; statuses: string[]; ended: Promise<void> } {
  const handle = connectRun({ baseUrl, runId, transport: 'sse', retry: { initialDelayMs: 50, maxDelayMs: 500 } });
  const statuses: string[] = [];
  const ended = new Promise<void>((resolve) => {
    handle.$state.subscribe((state) => {
      if (statuses.at(-1) !== state.connection.status) statuses.push(state.connection.status);
      if (state.status === 'done' || state.status === 'failed' || state.status === 'cancelled') resolve();
    });
  });
  return { handle, statuses, ended };
}

describe('server kit across instances (Redis, separate processes)', () => {
  it('the producer runs on A, the answer arrives at B: the run goes on once; a second answer is 409 on either instance', async () => {
    const runId = await createRun(a.url, { scenario: 'agent', speed: 0 });
    const { event } = await waitForEvent(b.url, runId, (e) => e.type === 'need_input');
    assert.ok(event.type === 'need_input');
    const accepted = await postJson(`${b.url}/api/runs/${runId}/input`, {
      text: 'yes',
      resume_token: event.resume_token,
    });
    assert.equal(accepted.status, 200);
    for (const base of [a.url, b.url]) {
      const again: JsonAnswer<{ error: { code: string } }> = await postJson(`${base}/api/runs/${runId}/input`, {
        text: 'no',
        resume_token: event.resume_token,
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'stale_resume_token');
    }
    const events = await allEvents(b.url, runId);
    assert.equal(events.filter((e) => e.type === 'input_accepted').length, 1);
    assert.equal(events.filter((e) => e.type === 'step' && e.name === 'deploy' && e.state === 'started').length, 1);
    const done = events.at(-1);
    assert.ok(done?.type === 'done' && done.state === 'completed');
    assert.equal((done.result as { deployed: boolean }).deployed, true, 'ask() on A resolved with B’s answer');
    assert.deepEqual(await snapshot(a.url, runId), await snapshot(b.url, runId));
  });

  it('cancel sent to B stops the producer on A', async () => {
    const runId = await createRun(a.url, { scenario: 'long', speed: 1 });
    await waitForEvent(b.url, runId, (e) => e.type === 'token');
    const producing = async (base: string): Promise<number> =>
      (await fetchJson<{ producing: number }>(`${base}${PRODUCING_PATH}`)).body.producing;
    assert.ok((await producing(a.url)) >= 1, 'A produces the run');
    const cancelled = await postJson(`${b.url}/api/runs/${runId}/cancel`, {});
    assert.equal(cancelled.status, 200);
    await until(async () => (await producing(a.url)) === 0, 'the producer on A to stop');
    const events = await allEvents(a.url, runId);
    assert.deepEqual(
      events.slice(-2).map((e) => [e.type, e.type === 'status' || e.type === 'done' ? e.state : '']),
      [
        ['status', 'cancelled'],
        ['done', 'cancelled'],
      ],
    );
    assert.deepEqual(
      events.map((e) => e.seq),
      range(events.length),
    );
  });

  it('a client reads from A, A is killed with SIGKILL mid-run, the client resumes on B: same text, 0 lost, 0 duplicated', async () => {
    const balancer: Balancer = await startBalancer([a.port, b.port], 'failover');
    try {
      const runId = await createRun(b.url, { scenario: 'quick', speed: 1 });
      let killed: Promise<void> | undefined;
      const client = follow(balancer.url, runId);
      const read = await readResuming(
        () => balancer.url,
        runId,
        (seq) => {
          if (seq === 10) killed = a.kill();
        },
      );
      await killed;
      await client.ended;
      const final = await snapshot(b.url, runId);
      assert.equal(final.state, 'done');
      assert.deepEqual(read.seqs, range(final.last_seq), 'every seq once, in order, across the two instances');
      assert.equal(read.text, final.messages[0]?.text, 'the text byte for byte');
      assert.ok(read.connections >= 2, `${read.connections} connections`);
      assert.ok((balancer.counts.get(b.port) ?? 0) >= 1, 'the balancer sent the reconnect to B');
      assert.equal(
        fullText(client.handle.store.$text.get()),
        final.messages[0]?.text,
        'the agentwire client shows the same text',
      );
      assert.equal(client.handle.store.stats.gaps, 0);
      assert.ok(client.statuses.includes('reconnecting'), client.statuses.join(' → '));
      client.handle.disconnect();
    } finally {
      await balancer.close();
      a = await start('A');
    }
  });

  it('the producer’s instance dies: after the lease timeout every client sees the run failed with a clear reason', async () => {
    const runId = await createRun(a.url, { scenario: 'long', speed: 1 });
    await waitForEvent(b.url, runId, (e) => e.type === 'token');
    const client = follow(b.url, runId);
    const reading = readResuming(() => b.url, runId);
    await a.kill();
    const read = await reading;
    await client.ended;
    assert.deepEqual(read.last, {
      type: 'done',
      state: 'failed',
      finish_reason: 'producer_lost',
      run_id: runId,
      seq: read.seqs.at(-1),
    });
    const final = await snapshot(b.url, runId);
    assert.equal(final.state, 'failed');
    const error = final.log.findLast((e) => e.type === 'error');
    assert.ok(error?.type === 'error' && error.code === 'producer_lost', JSON.stringify(error));
    assert.match(error.message, /did not renew its lease/);
    assert.deepEqual(read.seqs, range(final.last_seq));
    assert.equal(client.handle.$state.get().status, 'failed');
    client.handle.disconnect();
    a = await start('A');
  });

  it('Redis restarted mid-run: clients see reconnecting, then resume with nothing lost of what Redis had acknowledged', async () => {
    const runId = await createRun(a.url, { scenario: 'quick', speed: 0.5 });
    const client = follow(b.url, runId);
    let before = '';
    await new Promise<void>((resolve) => {
      const stop = client.handle.$state.subscribe((state) => {
        if (state.lastSeq >= 8) {
          before = fullText(client.handle.store.$text.get());
          resolve();
          queueMicrotask(() => stop());
        }
      });
    });
    redis = await redis.restart();
    await client.ended;
    const final = await snapshot(b.url, runId);
    assert.equal(final.state, 'done');
    assert.ok(client.statuses.includes('reconnecting'), client.statuses.join(' → '));
    assert.ok(final.messages[0]?.text.startsWith(before), 'what the client saw before the restart is still there');
    assert.equal(fullText(client.handle.store.$text.get()), final.messages[0]?.text);
    const events = await allEvents(a.url, runId);
    assert.deepEqual(
      events.map((e) => e.seq),
      range(final.last_seq),
      'gapless after the restart',
    );
    client.handle.disconnect();
  });
});
