/**
 * Server-side bad input: every kind of abuse gets its clear error, and the run it was aimed at is
 * not corrupted — its snapshot is unchanged, nothing keeps following it, and it completes normally
 * afterwards. (Basic refusals — bad create bodies, unknown paths, stale tokens on one run — are in
 * mock-server.test.ts and mock-server-ws.test.ts; this file adds what they do not cover.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import {
  CLOSE_TOO_BIG,
  MAX_REPLY_TEXT_LENGTH,
  MAX_REQUEST_BODY_BYTES,
  MAX_WS_MESSAGE_BYTES,
  type ApiErrorBody,
  type NeedInputEvent,
  type RunEvent,
  type RunSnapshot,
} from '../../src/protocol/index.ts';
import { initialState, reduceAll, toSnapshot } from '../../src/store/index.ts';
import type { MockRun } from '../../mock-server/registry.ts';
import {
  allEvents,
  createRun,
  fetchJson,
  postJson,
  SseClient,
  waitForEvent,
  WsClient,
} from '../../mock-server/testing.ts';
import { until, useMockServer } from '../shared/node-mock-server.ts';

const mock = useMockServer();

const api = mock.api;
const socketUrl = (id: string, query = ''): string =>
  `${mock.base.replace(/^http/, 'ws')}/ws/runs/${encodeURIComponent(id)}${query}`;
/** The run's snapshot, without the time it was served at (what the run is, to compare before and after). */
const snapshot = async (id: string): Promise<RunSnapshot> => {
  const { server_time: _served, ...state } = (await fetchJson<RunSnapshot>(api(`/api/runs/${id}`))).body;
  return state;
};
const runOf = (id: string): MockRun => {
  const run = mock.server.app.registry.get(id);
  assert.ok(run);
  return run;
};
const codeOf = (body: unknown): string => (body as ApiErrorBody).error.code;

/** A run waiting on its first question. */
async function waiting(scenario = 'agent'): Promise<{ id: string; need: NeedInputEvent; before: RunSnapshot }> {
  const id = await createRun(mock.base, { scenario, speed: 0 });
  const { event } = await waitForEvent(mock.base, id, (e) => e.type === 'need_input');
  assert.ok(event.type === 'need_input');
  return { id, need: event, before: await snapshot(id) };
}

/** Answer yes and check the run completes with gapless events whose fold is the server snapshot. */
async function completes(id: string, token: string): Promise<void> {
  const answer = await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: token });
  assert.equal(answer.status, 200);
  const events: RunEvent[] = await allEvents(mock.base, id);
  events.forEach((e, i) => assert.equal(e.seq, i + 1));
  const done = events.at(-1);
  assert.ok(done?.type === 'done' && done.state === 'completed');
  assert.deepEqual(await snapshot(id), JSON.parse(JSON.stringify(toSnapshot(reduceAll(initialState(id), events)))));
}

describe('mock server: bad input leaves runs intact', () => {
  it(`an oversized WebSocket frame closes that socket with ${CLOSE_TOO_BIG}; the run and its other connections go on`, async () => {
    const { id, need, before } = await waiting();
    const bystander = await WsClient.open(socketUrl(id, `?after=${before.last_seq}`));
    const abuser = await WsClient.open(socketUrl(id, `?after=${before.last_seq}`));
    abuser.send({ type: 'user_reply', text: 'y'.repeat(MAX_WS_MESSAGE_BYTES), resume_token: need.resume_token });
    assert.equal((await abuser.closed).code, CLOSE_TOO_BIG);
    // Just under the frame limit but over the reply limit: refused as a bad command, socket open.
    bystander.send({
      type: 'user_reply',
      text: 'y'.repeat(MAX_REPLY_TEXT_LENGTH + 1),
      resume_token: need.resume_token,
    });
    const refusal = await bystander.until((m) => m['type'] === 'command_error');
    assert.equal(refusal?.['code'], 'bad_command');
    assert.equal(refusal['field'], 'text');
    assert.deepEqual(await snapshot(id), before);
    assert.equal(runOf(id).repliesReceived, 0, 'nothing reached the run');
    await completes(id, need.resume_token);
    await bystander.closed;
  });

  it('a text frame that is not UTF-8 closes that socket with 1007; a binary frame is a bad_command', async () => {
    const { id, need, before } = await waiting();
    const client = await WsClient.open(socketUrl(id, `?after=${before.last_seq}`));
    client.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: true });
    const binary = await client.until((m) => m['type'] === 'command_error');
    assert.equal(binary?.['code'], 'bad_command');
    assert.match(String(binary['message']), /text/);
    client.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    assert.equal((await client.closed).code, 1007);
    assert.deepEqual(await snapshot(id), before);
    await completes(id, need.resume_token);
  });

  it('malformed JSON, non-objects and unknown commands over WebSocket each get a bad_command; the run is unchanged', async () => {
    const { id, need, before } = await waiting();
    const client = await WsClient.open(socketUrl(id, `?after=${before.last_seq}`));
    const cases: [string, RegExp][] = [
      ['{"type":"user_reply",', /JSON/i],
      ['null', /object/],
      ['[1,2]', /object/],
      ['"user_reply"', /object/],
      ['42', /object/],
      ['{}', /type/],
      ['{"type":"delete_run"}', /delete_run/],
      ['{"type":"USER_REPLY","text":"yes"}', /USER_REPLY/],
      ['{"type":"user_reply","text":"yes","resume_token":""}', /resume_token/],
      ['{"type":"user_reply","text":["yes"],"resume_token":"x"}', /text/],
      ['{"type":"resume","after_seq":1.5}', /after_seq/],
      ['{"type":"resume","after_seq":"3"}', /after_seq/],
    ];
    for (const [text, pattern] of cases) {
      client.send(text);
      const refusal = await client.until((m) => m['type'] === 'command_error');
      assert.equal(refusal?.['code'], 'bad_command', text);
      assert.equal(refusal['status'], 400, text);
      assert.match(String(refusal['message']), pattern, text);
    }
    client.send({ type: 'ping', id: 'alive' });
    assert.deepEqual(await client.until((m) => m['type'] === 'pong'), { type: 'pong', id: 'alive' });
    assert.deepEqual(await snapshot(id), before);
    assert.equal(runOf(id).repliesReceived, 0);
    await completes(id, need.resume_token);
  });

  it('malformed, oversized and ill-typed REST command bodies get 400 / 413 naming the problem; the run is unchanged', async () => {
    const { id, need, before } = await waiting();
    const post = (path: string, body: string): Promise<{ status: number; body: unknown }> =>
      fetchJson(api(`/api/runs/${id}/${path}`), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
    const cases: [string, string, number, string][] = [
      ['input', '{"text":"yes","resume_token":', 400, 'malformed_json'],
      ['input', '[]', 400, 'invalid_body'],
      ['input', 'null', 400, 'invalid_body'],
      ['input', JSON.stringify({ text: 'yes', resume_token: '' }), 400, 'invalid_body'],
      [
        'input',
        JSON.stringify({ text: 'y'.repeat(MAX_REPLY_TEXT_LENGTH + 1), resume_token: need.resume_token }),
        400,
        'invalid_body',
      ],
      [
        'input',
        JSON.stringify({ text: 'y'.repeat(MAX_REQUEST_BODY_BYTES), resume_token: need.resume_token }),
        413,
        'payload_too_large',
      ],
      ['cancel', '{"why":', 400, 'malformed_json'],
      ['cancel', 'x'.repeat(MAX_REQUEST_BODY_BYTES + 1), 413, 'payload_too_large'],
    ];
    for (const [path, body, status, code] of cases) {
      const answer = await post(path, body);
      assert.equal(answer.status, status, `${path} ${body.slice(0, 40)}`);
      assert.equal(codeOf(answer.body), code, `${path} ${body.slice(0, 40)}`);
    }
    assert.deepEqual(await snapshot(id), before);
    await completes(id, need.resume_token);
  });

  it("another run's resume_token is refused (409 stale_resume_token) on REST and WebSocket; neither run is touched", async () => {
    const a = await waiting();
    const b = await waiting('approvals');
    const rest = await postJson(api(`/api/runs/${a.id}/input`), { text: 'yes', resume_token: b.need.resume_token });
    assert.equal(rest.status, 409);
    assert.equal(codeOf(rest.body), 'stale_resume_token');
    const client = await WsClient.open(socketUrl(b.id, `?after=${b.before.last_seq}`));
    client.send({ type: 'user_reply', text: 'yes', resume_token: a.need.resume_token });
    const refusal = await client.until((m) => m['type'] === 'command_error');
    assert.deepEqual(
      { code: refusal?.['code'], status: refusal?.['status'], resume_token: refusal?.['resume_token'] },
      { code: 'stale_resume_token', status: 409, resume_token: a.need.resume_token },
    );
    await client.close();
    assert.deepEqual(await snapshot(a.id), a.before);
    assert.deepEqual(await snapshot(b.id), b.before);
    await completes(a.id, a.need.resume_token);
    await postJson(api(`/api/runs/${b.id}/cancel`), {});
  });

  it('a reply racing itself (REST and WebSocket at once) is accepted exactly once', async () => {
    const { id, need } = await waiting();
    const client = await WsClient.open(socketUrl(id, '?plane=control'));
    await client.until((m) => m['type'] === 'need_input');
    client.send({ type: 'user_reply', text: 'yes', resume_token: need.resume_token });
    const rest = await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: need.resume_token });
    await client.closed;
    const accepted = runOf(id).replies.filter((r) => r.accepted);
    assert.equal(accepted.length, 1);
    assert.equal(runOf(id).replies.length, 2);
    assert.ok(rest.status === 200 || (rest.status === 409 && codeOf(rest.body) === 'stale_resume_token'));
    const events = await allEvents(mock.base, id);
    assert.equal(events.filter((e) => e.type === 'input_accepted').length, 1);
  });

  it('replies and cancels after the run ended get 409 with a clear code; the final snapshot never changes', async () => {
    const { id, need } = await waiting();
    assert.equal((await postJson(api(`/api/runs/${id}/cancel`), {})).status, 200);
    const ended = await snapshot(id);
    assert.equal(ended.state, 'cancelled');
    const late = await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: need.resume_token });
    assert.equal(late.status, 409);
    assert.equal(codeOf(late.body), 'stale_resume_token', 'the cancelled request is no longer answerable');
    const other = await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: 'rt-anything' });
    assert.equal(other.status, 409);
    assert.equal(codeOf(other.body), 'run_finished');
    const again = await postJson(api(`/api/runs/${id}/cancel`), {});
    assert.equal(again.status, 409);
    assert.equal(codeOf(again.body), 'run_finished');
    // A socket opened on the finished run replays it and closes; it cannot change it.
    const client = await WsClient.open(socketUrl(id));
    client.send({ type: 'cancel' });
    assert.equal((await client.closed).code, 1000);
    assert.deepEqual(await snapshot(id), ended);
  });

  it('a flood of reconnects (WebSocket, SSE, long-poll; cut, refused and bad) leaves no connection or listener behind', async () => {
    const { id, need, before } = await waiting();
    const registry = mock.server.app.registry.size;
    const attempts: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      attempts.push(
        WsClient.open(socketUrl(id, `?after=${i % before.last_seq}`)).then(async (c) => {
          if (i % 2 === 0) c.socket.terminate();
          else await c.close();
        }),
        SseClient.open(api(`/api/runs/${id}/stream?after=${i % before.last_seq}`)).then((s) => s.close()),
        fetch(api(`/api/runs/${id}/events?after=${before.last_seq}&wait=30`), {
          signal: AbortSignal.timeout(20 + i),
        }).catch(() => undefined),
        WsClient.open(socketUrl(id, '?after=-1')).then((c) => c.closed),
        WsClient.open(socketUrl(id, '?fault_503=1&fault_times=1000')).catch(() => undefined),
        WsClient.open(socketUrl(`${id}-nope`)).then((c) => c.closed),
      );
    }
    const raw = new WebSocket(socketUrl(id));
    raw.on('error', () => undefined);
    raw.on('open', () => raw.terminate());
    await Promise.all(attempts);
    await until(() => mock.server.openConnections(id) === 0, 'every connection of the run to be gone');
    await until(() => runOf(id).listenerCount === 0, 'every feed to stop following the run');
    assert.equal(mock.server.app.registry.size, registry, 'no run was created');
    assert.deepEqual(await snapshot(id), before);
    await completes(id, need.resume_token);
  });

  it('resume with an after_seq ahead of the run, or a cursor past the end, sends nothing and corrupts nothing', async () => {
    const { id, need, before } = await waiting();
    const ahead = await WsClient.open(socketUrl(id, `?after=${before.last_seq}`));
    ahead.send({ type: 'resume', after_seq: Number.MAX_SAFE_INTEGER });
    ahead.send({ type: 'ping', id: 'after-resume' });
    assert.deepEqual(await ahead.until((m) => m['type'] === 'pong'), { type: 'pong', id: 'after-resume' });
    const page = await fetchJson<{ events: unknown[]; last_seq: number }>(
      api(`/api/runs/${id}/events?after=${before.last_seq + 100}`),
    );
    assert.deepEqual(page.body.events, []);
    assert.equal(page.body.last_seq, before.last_seq);
    assert.deepEqual(await snapshot(id), before);
    await ahead.close();
    await completes(id, need.resume_token);
  });
});
