/**
 * The server kit on its own: the producer API (typed events, ask with several open at once,
 * expiry, cancel, done/fail), pass-through of event types and fields the protocol does not know,
 * the fetch handler (SSE with backpressure, 204, 426), auth, CORS and limits, and the feed's
 * backpressure (it stops reading the log while its connection is backed up).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { decodeEventText, decodeSnapshot, type RunSnapshot } from '../../src/protocol/index.ts';
import {
  AskError,
  EventFeed,
  MemoryRunLog,
  RunAbortedError,
  RunKitError,
  STREAM_BATCH_SIZE,
  createRunKit,
  createRunServer,
  type FeedSink,
  type ProducerRun,
  type RunKit,
  type RunServerOptions,
} from '../../src/server/index.ts';
import { takeFromTail } from '../shared/run-log-contract.ts';

const BASE = 'http://kit.test';

async function events(kit: RunKit, runId: string): Promise<Record<string, unknown>[]> {
  return (await kit.log.read(runId, 0, 10_000)).map((r) => JSON.parse(r.json) as Record<string, unknown>);
}

/** Wait until the run's log has an event matching `match` (following it live). */
async function until(kit: RunKit, runId: string, match: (event: Record<string, unknown>) => boolean): Promise<void> {
  const tail = kit.log.tail(runId, 0);
  try {
    for (;;) {
      const [record] = await takeFromTail(tail, 1);
      if (!record) assert.fail('the run ended first');
      if (match(JSON.parse(record.json) as Record<string, unknown>)) return;
    }
  } finally {
    tail.close();
  }
}

async function sse(response: Response): Promise<{ messages: EventSourceMessage[]; comments: string[] }> {
  const messages: EventSourceMessage[] = [];
  const comments: string[] = [];
  const parser = createParser({ onEvent: (m) => messages.push(m), onComment: (c) => comments.push(c.trim()) });
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) parser.feed(decoder.decode(chunk, { stream: true }));
  return { messages, comments };
}

function server(kit: RunKit, options: Partial<RunServerOptions> = {}) {
  return createRunServer({
    runs: kit,
    onCreate: ({ body }) => ({
      produce: async (run: ProducerRun) => {
        run.status('running');
        run.token((body as { prompt?: string }).prompt ?? 'hi', 'm1');
        await run.flush();
      },
    }),
    ...options,
  });
}

describe('server kit: producer API', () => {
  it('typed methods emit canonical events; bad arguments throw RunKitError invalid_event', async () => {
    const kit = createRunKit();
    const run = await kit.create({ threadId: 'th_1' });
    assert.equal(run.threadId, 'th_1');
    run.status('running');
    run.progress(40, 'Searching');
    run.token('Hel', 'm1');
    run.log('Compiling', 'warn');
    run.step('plan', 'started');
    const callId = run.toolCall({ name: 'search', args: { q: 'x' } });
    run.toolResult({ callId, summary: '3 hits', ok: true });
    run.error('flaky', { code: 'flaky', retryable: true });
    for (const bad of [
      () => run.progress(140),
      () => run.status('sleeping' as 'running'),
      () => run.log('x', 'loud' as 'info'),
      () => run.toolCall({ name: '' }),
      () => run.emit({ type: 'progress', pct: 'lots' }),
      () => run.emit({ type: 'need_input', prompt: 'p', resume_token: 't' }),
    ]) {
      assert.throws(bad, (error: unknown) => error instanceof RunKitError && error.code === 'invalid_event');
    }
    await run.done({ result: { ok: true } });
    const all = await events(kit, run.id);
    assert.deepEqual(
      all.map(({ run_id: _r, seq: _s, ...rest }) => rest),
      [
        { type: 'status', state: 'running' },
        { type: 'progress', pct: 40, message: 'Searching' },
        { type: 'token', content: 'Hel', message_id: 'm1' },
        { type: 'log', level: 'warn', message: 'Compiling' },
        { type: 'step', name: 'plan', state: 'started' },
        { type: 'tool_call', call_id: 'call_1', name: 'search', args: { q: 'x' } },
        { type: 'tool_result', call_id: 'call_1', summary: '3 hits', ok: true },
        { type: 'error', message: 'flaky', code: 'flaky', retryable: true },
        { type: 'status', state: 'done' },
        { type: 'done', state: 'completed', result: { ok: true } },
      ],
    );
    assert.deepEqual(
      all.map((e) => e['seq']),
      all.map((_, i) => i + 1),
    );
    run.token('after the end');
    await run.flush();
    assert.equal((await events(kit, run.id)).length, all.length, 'nothing after done');
    await kit.close();
  });

  it('unknown event types and unknown fields pass through to the wire and the snapshot', async () => {
    const kit = createRunKit();
    const run = await kit.create();
    run.emit({ type: 'thinking', text: 'Considering…', at: '2026-12-01T10:00:00.000Z' });
    run.emit({ type: 'token', content: 'x', message_id: 'm1', at: '2026-12-01T10:00:01.000Z' });
    const askedFrom = Date.now();
    const asked = run.ask({
      prompt: 'Run the tool?',
      toolCallId: 'call_9',
      schema: { type: 'boolean' },
      fields: { kind: 'approval' },
    });
    await until(kit, run.id, (e) => e['type'] === 'need_input');
    const all = await events(kit, run.id);
    assert.deepEqual(all[0], {
      type: 'thinking',
      text: 'Considering…',
      at: '2026-12-01T10:00:00.000Z',
      run_id: run.id,
      seq: 1,
    });
    assert.equal(all[1]?.['at'], '2026-12-01T10:00:01.000Z');
    const need = all[2]!;
    // Stamped with the time it was asked, on the clock `expires_at` is on: clients read that clock from it.
    const askedAt = Date.parse(String(need['at']));
    assert.ok(askedAt >= askedFrom && askedAt <= Date.now(), `need_input at ${String(need['at'])}`);
    assert.deepEqual(
      { tool_call_id: need['tool_call_id'], response_schema: need['response_schema'], kind: need['kind'] },
      { tool_call_id: 'call_9', response_schema: { type: 'boolean' }, kind: 'approval' },
    );
    const snapshot = (await kit.snapshot(run.id))!;
    assert.equal((snapshot.pending_input as unknown as Record<string, unknown>)['tool_call_id'], 'call_9');
    assert.equal(snapshot.log[0]?.type, 'unknown');
    assert.ok(decodeSnapshot(JSON.parse(JSON.stringify(snapshot))).ok);
    const outcome = await kit.log.answer(run.id, {
      type: 'user_reply',
      text: 'yes',
      resume_token: need['resume_token'] as string,
    });
    assert.ok(outcome.ok);
    const answer = await asked;
    assert.equal(answer.text, 'yes');
    await run.done();
    await kit.close();
  });

  it('several asks open at once: each resolves with its own answer, once; the run waits while any is open', async () => {
    const kit = createRunKit();
    const run = await kit.create();
    const a = run.ask({ prompt: 'Approve tool A?', resumeToken: 'rt_a' });
    const b = run.ask({ prompt: 'Approve tool B?', resumeToken: 'rt_b' });
    assert.equal(run.openAsks, 2);
    await until(kit, run.id, (e) => e['resume_token'] === 'rt_b');
    assert.ok((await kit.log.answer(run.id, { type: 'user_reply', text: 'B yes', resume_token: 'rt_b' })).ok);
    assert.equal((await b).text, 'B yes');
    const again = await kit.log.answer(run.id, { type: 'user_reply', text: 'B no', resume_token: 'rt_b' });
    assert.ok(!again.ok && again.error.code === 'stale_resume_token');
    assert.equal(run.openAsks, 1);
    assert.ok((await kit.log.answer(run.id, { type: 'user_reply', text: 'A yes', resume_token: 'rt_a' })).ok);
    assert.equal((await a).text, 'A yes');
    const types = (await events(kit, run.id)).map((e) =>
      e['type'] === 'status' ? `status ${String(e['state'])}` : e['type'],
    );
    assert.deepEqual(types, ['need_input', 'status waiting', 'need_input', 'input_accepted', 'input_accepted']);
    await run.done();
    await kit.close();
  });

  it('decide(): an approval decided by policy is need_input automatic + its input_accepted, never pending, never answerable', async () => {
    const kit = createRunKit();
    const run = await kit.create();
    const token = run.decide({
      prompt: 'Read README.md?',
      approved: true,
      reason: ' read-only tools are allowed ',
      toolCallId: 'call_1',
      resumeToken: 'rt_auto',
    });
    assert.equal(token, 'rt_auto');
    const denied = run.decide({ prompt: 'Run rm -rf?', approved: false });
    assert.match(denied, /\S/, 'a token is made up when none is given');
    assert.throws(
      () => run.decide({ prompt: 'again', approved: true, resumeToken: 'rt_auto' }),
      (error: unknown) => error instanceof RunKitError && error.code === 'invalid_option',
    );
    assert.throws(
      () => run.ask({ prompt: 'again', resumeToken: 'rt_auto' }),
      (error: unknown) => error instanceof RunKitError && error.code === 'invalid_option',
    );
    assert.throws(
      () => run.decide({ prompt: 'x', approved: 'yes' as unknown as boolean }),
      (error: unknown) => error instanceof RunKitError && error.code === 'invalid_option',
    );
    await run.flush();
    const all = await events(kit, run.id);
    assert.deepEqual(
      all.map(({ run_id: _, seq: __, ...rest }) => rest),
      [
        {
          type: 'need_input',
          prompt: 'Read README.md?',
          resume_token: 'rt_auto',
          kind: 'approval',
          automatic: true,
          tool_call_id: 'call_1',
        },
        {
          type: 'input_accepted',
          resume_token: 'rt_auto',
          text: 'Approved: read-only tools are allowed',
          value: { approved: true, reason: 'read-only tools are allowed' },
        },
        { type: 'need_input', prompt: 'Run rm -rf?', resume_token: denied, kind: 'approval', automatic: true },
        { type: 'input_accepted', resume_token: denied, text: 'Denied', value: { approved: false } },
      ],
    );
    assert.ok(
      all.every((e) => e['type'] !== 'status'),
      'the run does not wait for a decided approval',
    );
    const snapshot = (await kit.snapshot(run.id))!;
    assert.equal(snapshot.pending_input ?? null, null);
    assert.deepEqual(snapshot.pending_inputs ?? [], []);
    const answered = await kit.log.answer(run.id, { type: 'user_reply', text: 'no', resume_token: 'rt_auto' });
    assert.ok(!answered.ok, 'a decided approval takes no answer');
    assert.equal(run.openAsks, 0);
    await run.done();
    await kit.close();
  });

  it('an ask expires: error input_expired in the log, AskError input_expired; a late answer is stale', async () => {
    const kit = createRunKit();
    const run = await kit.create();
    const asked = run.ask({ prompt: 'Quick?', timeoutMs: 10, resumeToken: 'rt_x' });
    await assert.rejects(asked, (error: unknown) => error instanceof AskError && error.code === 'input_expired');
    const all = await events(kit, run.id);
    assert.equal(all.at(-1)?.['code'], 'input_expired');
    const late = await kit.log.answer(run.id, { type: 'user_reply', text: 'yes', resume_token: 'rt_x' });
    assert.ok(!late.ok && late.error.code === 'stale_resume_token');
    await run.done();
    await kit.close();
  });

  it('cancel aborts run.signal (RunAbortedError run_cancelled) and rejects open asks; later emits are ignored', async () => {
    const kit = createRunKit();
    const run = await kit.create();
    const asked = run.ask({ prompt: 'Go?' });
    const aborted = new Promise<unknown>((resolve) =>
      run.signal.addEventListener('abort', () => resolve(run.signal.reason)),
    );
    await run.flush();
    assert.deepEqual(await kit.log.cancel(run.id), { ok: true });
    const reason = await aborted;
    assert.ok(reason instanceof RunAbortedError && reason.code === 'run_cancelled');
    await assert.rejects(asked, (error: unknown) => error instanceof AskError && error.code === 'run_cancelled');
    assert.equal(run.ended, true);
    run.token('ignored');
    await run.done();
    const all = await events(kit, run.id);
    assert.deepEqual(
      all.slice(-2).map((e) => [e['type'], e['state']]),
      [
        ['status', 'cancelled'],
        ['done', 'cancelled'],
      ],
    );
    await kit.close();
  });

  it('spawn: a producer that throws fails the run with its message and code; one that returns completes it', async () => {
    const kit = createRunKit();
    const failing = await kit.spawn({}, (run) => {
      run.status('running');
      throw Object.assign(new Error('the model is down'), { code: 'model_down' });
    });
    await until(kit, failing.id, (e) => e['type'] === 'done');
    assert.deepEqual(
      (await events(kit, failing.id)).slice(-3).map(({ run_id: _r, seq: _s, ...rest }) => rest),
      [
        { type: 'error', message: 'the model is down', code: 'model_down', retryable: false },
        { type: 'status', state: 'failed' },
        { type: 'done', state: 'failed', finish_reason: 'error' },
      ],
    );
    const fine = await kit.spawn({}, (run) => run.token('ok'));
    await until(kit, fine.id, (e) => e['type'] === 'done');
    assert.equal((await kit.snapshot(fine.id))?.state, 'done');
    await kit.close();
  });

  it('the kit closing aborts every producer with RunAbortedError closed', async () => {
    const kit = createRunKit();
    const run = await kit.create();
    await kit.close();
    assert.ok(
      run.signal.aborted && run.signal.reason instanceof RunAbortedError && run.signal.reason.code === 'closed',
    );
    await assert.rejects(kit.create(), (error: unknown) => error instanceof RunKitError && error.code === 'closed');
  });
});

describe('server kit: fetch handler', () => {
  it('create → 201 with X-Run-Id and Location; the SSE stream starts with `: connected`, ends after done; then 204', async () => {
    const kit = createRunKit();
    const app = server(kit);
    const created = await app.fetch(
      new Request(`${BASE}/api/runs`, { method: 'POST', body: JSON.stringify({ prompt: 'Hello' }) }),
    );
    assert.equal(created.status, 201);
    const { run_id: runId } = (await created.json()) as { run_id: string };
    assert.equal(created.headers.get('x-run-id'), runId);
    assert.equal(created.headers.get('location'), `/api/runs/${runId}`);
    assert.equal(created.headers.get('access-control-allow-origin'), '*');
    const stream = await app.fetch(new Request(`${BASE}/api/runs/${runId}/stream`));
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    const { messages, comments } = await sse(stream);
    assert.equal(comments[0], 'connected');
    assert.deepEqual(
      messages.map((m) => m.event),
      ['status', 'token', 'status', 'done'],
    );
    for (const m of messages) {
      const decoded = decodeEventText(m.data);
      assert.ok(decoded.ok && String(decoded.value.seq) === m.id);
    }
    const done = await app.fetch(
      new Request(`${BASE}/api/runs/${runId}/stream`, { headers: { 'Last-Event-ID': '4' } }),
    );
    assert.equal(done.status, 204);
    const snapshot = (await (await app.fetch(new Request(`${BASE}/api/runs/${runId}`))).json()) as RunSnapshot;
    assert.equal(snapshot.messages[0]?.text, 'Hello');
    await kit.close();
  });

  it('answers JSON errors: 404 unknown run and path, 405 wrong method, 426 for a WebSocket path, 400 naming the field', async () => {
    const kit = createRunKit();
    const app = server(kit);
    const code = async (response: Response): Promise<[number, string]> => [
      response.status,
      ((await response.json()) as { error: { code: string } }).error.code,
    ];
    assert.deepEqual(await code(await app.fetch(new Request(`${BASE}/api/runs/nope`))), [404, 'run_not_found']);
    assert.deepEqual(await code(await app.fetch(new Request(`${BASE}/api/nothing`))), [404, 'not_found']);
    assert.deepEqual(await code(await app.fetch(new Request(`${BASE}/api/runs`))), [405, 'method_not_allowed']);
    assert.deepEqual(await code(await app.fetch(new Request(`${BASE}/ws/runs/x`))), [426, 'upgrade_required']);
    const run = await kit.create();
    const bad = await app.fetch(new Request(`${BASE}/api/runs/${run.id}/events?after=-1`));
    assert.deepEqual(await code(bad.clone()), [400, 'invalid_query']);
    assert.equal(((await bad.json()) as { error: { field: string } }).error.field, 'after');
    await kit.close();
  });

  it('authorize with a bearer token: 401 with WWW-Authenticate without it, served with it; sees the action and run id', async () => {
    const kit = createRunKit();
    const seen: string[] = [];
    const app = server(kit, {
      authorize: ({ request, action, runId }) => {
        seen.push(`${action}:${runId ?? '-'}`);
        return request.header('authorization') === 'Bearer s3cret';
      },
    });
    const refused = await app.fetch(new Request(`${BASE}/api/runs`, { method: 'POST', body: '{}' }));
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer');
    const auth = { Authorization: 'Bearer s3cret' };
    const created = await app.fetch(new Request(`${BASE}/api/runs`, { method: 'POST', body: '{}', headers: auth }));
    assert.equal(created.status, 201);
    const { run_id: runId } = (await created.json()) as { run_id: string };
    assert.equal((await app.fetch(new Request(`${BASE}/api/runs/${runId}`))).status, 401);
    assert.equal((await app.fetch(new Request(`${BASE}/api/runs/${runId}`, { headers: auth }))).status, 200);
    assert.deepEqual(seen, ['create:-', 'create:-', `read:${runId}`, `read:${runId}`]);
    await kit.close();
  });

  it('CORS: a list of origins is reflected with Vary; others get none; false sends none; preflight 204', async () => {
    const kit = createRunKit();
    const listed = server(kit, { cors: { origins: ['https://app.example'] } });
    const yes = await listed.fetch(new Request(`${BASE}/api/nothing`, { headers: { Origin: 'https://app.example' } }));
    assert.equal(yes.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(yes.headers.get('vary'), 'Origin');
    const no = await listed.fetch(new Request(`${BASE}/api/nothing`, { headers: { Origin: 'https://evil.example' } }));
    assert.equal(no.headers.get('access-control-allow-origin'), null);
    const preflight = await listed.fetch(
      new Request(`${BASE}/api/runs`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Headers': 'x-trace' },
      }),
    );
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization.*x-trace/);
    const none = server(kit, { cors: false });
    assert.equal(
      (await none.fetch(new Request(`${BASE}/api/nothing`))).headers.get('access-control-allow-origin'),
      null,
    );
    assert.throws(() => server(kit, { cors: { origins: '*', credentials: true } }), RunKitError);
    await kit.close();
  });

  it('limits: 413 over maxBodyBytes; 429 over maxActiveRunsPerClient until a run ends', async () => {
    const kit = createRunKit();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = createRunServer({
      runs: kit,
      limits: { maxBodyBytes: 100, maxActiveRunsPerClient: 1 },
      clientKey: (request) => request.header('x-client'),
      onCreate: () => ({ produce: () => gate }),
    });
    const post = (body: string): Promise<Response> =>
      app.fetch(new Request(`${BASE}/api/runs`, { method: 'POST', body, headers: { 'X-Client': 'c1' } }));
    assert.equal((await post(JSON.stringify({ prompt: 'x'.repeat(200) }))).status, 413);
    const first = await post('{}');
    assert.equal(first.status, 201);
    const second = await post('{}');
    assert.equal(second.status, 429);
    assert.equal(((await second.json()) as { error: { code: string } }).error.code, 'too_many_runs');
    release();
    const { run_id: runId } = (await first.json()) as { run_id: string };
    await until(kit, runId, (e) => e['type'] === 'done');
    assert.equal((await post('{}')).status, 201);
    await kit.close();
  });

  it('input: input_accepted is in the log before the 200; a second answer is 409', async () => {
    const kit = createRunKit();
    const app = createRunServer({ runs: kit });
    const run = await kit.create();
    const asked = run.ask({ prompt: 'ok?', resumeToken: 'rt_1' });
    await run.flush();
    const reply = (): Promise<Response> =>
      app.fetch(
        new Request(`${BASE}/api/runs/${run.id}/input`, {
          method: 'POST',
          body: JSON.stringify({ text: 'yes', resume_token: 'rt_1' }),
        }),
      );
    const ok = await reply();
    assert.equal(ok.status, 200);
    assert.equal((await events(kit, run.id)).at(-1)?.['type'], 'input_accepted');
    assert.equal((await reply()).status, 409);
    await asked;
    await run.done();
    await kit.close();
  });
});

describe('server kit: backpressure', () => {
  it('a backed-up connection stops the feed reading the log: at most one batch is written until it drains', async () => {
    const log = new MemoryRunLog();
    const kit = createRunKit({ log });
    const run = await kit.create();
    for (let i = 0; i < 5 * STREAM_BATCH_SIZE; i++) run.token(`t${i} `);
    await run.flush();
    /** Seqs written (a coalesced token counts for each seq it stands for), and frames. */
    let written = 0;
    let frames = 0;
    let drain: (() => void) | undefined;
    const sink: FeedSink = {
      write: (record) => {
        written += record.lastSeq - record.seq + 1;
        frames++;
      },
      writeRaw: () => undefined,
      flush: () => false,
      onDrain: (resume) => (drain = resume),
      abort: () => undefined,
      complete: () => undefined,
      fail: () => undefined,
    };
    const feed = new EventFeed(log.tail(run.id, 0), sink);
    feed.start();
    assert.equal(written, STREAM_BATCH_SIZE, 'one batch, then it waits');
    assert.equal(frames, STREAM_BATCH_SIZE, 'one frame per event until the connection backed up');
    assert.ok(drain);
    // New events do not wake a blocked feed: it reads again only when its connection drained.
    run.token('more');
    await run.flush();
    assert.equal(written, STREAM_BATCH_SIZE, 'still waiting: nothing more was read');
    drain();
    assert.equal(written, 2 * STREAM_BATCH_SIZE);
    // Behind since it backed up: the next batch's tokens (one message, in a row) went out as one coalesced token.
    assert.equal(frames, STREAM_BATCH_SIZE + 1);
    feed.stop();
    await kit.close();
  });

  it('a fetch-handler SSE client that reads slowly gets every event in order, coalesced once behind (the stream queue is bounded)', async () => {
    const kit = createRunKit();
    const app = createRunServer({ runs: kit });
    const run = await kit.create();
    const total = 20_000;
    for (let i = 0; i < total; i++) run.token(`token number ${i} with some padding to make it longer `);
    await run.done();
    const response = await app.fetch(new Request(`${BASE}/api/runs/${run.id}/tokens`));
    const reader = response.body!.getReader();
    const parser = createParser({
      onEvent: (m) => {
        const event = JSON.parse(m.data) as { seq: number; seq_end?: number };
        ranges.push([event.seq, event.seq_end ?? event.seq, Number(m.id)]);
      },
    });
    /** Per frame: first seq, last seq, SSE id. */
    const ranges: [number, number, number][] = [];
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(ranges[0], [1, 1, 1]);
    // Every seq once, in order: each frame starts right after the previous one's last seq; its id is its last seq.
    assert.ok(ranges.every(([first, last, id], i) => id === last && first === (i === 0 ? 1 : ranges[i - 1]![1] + 1)));
    assert.equal(ranges.at(-1)![1], total);
    assert.ok(ranges.length < total, 'tokens were coalesced once the reader fell behind');
    await kit.close();
  });
});
