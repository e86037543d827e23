import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLOSE_BAD_REQUEST,
  CLOSE_RUN_NOT_FOUND,
  CLOSE_NORMAL,
  CLOSE_TOO_BIG,
  MAX_WS_MESSAGE_BYTES,
  decodeServerMessage,
  type ControlMessage,
  type RunEvent,
  type RunSnapshot,
} from '../../src/protocol/index.ts';
import { startMockServer, type MockServer } from '../../mock-server/server.ts';
import { MALFORMED_WS_MESSAGE } from '../../mock-server/limits.ts';
import { APPROVAL_PROMPTS } from '../../mock-server/scenarios.ts';
import { allEvents, createRun, fetchJson, WsClient } from '../../mock-server/testing.ts';

let server: MockServer;
let base: string;
let wsBase: string;

before(async () => {
  server = await startMockServer({ port: 0 });
  base = server.url;
  wsBase = base.replace(/^http/, 'ws');
});
after(() => server.close());

const socketUrl = (id: string, query = ''): string => `${wsBase}/ws/runs/${encodeURIComponent(id)}${query}`;

function decoded(text: string): RunEvent | ControlMessage {
  const result = decodeServerMessage(text);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value;
}

/** Read until the socket closes; returns the decoded run events (control messages dropped). */
async function drain(client: WsClient): Promise<RunEvent[]> {
  await client.closed;
  return client.messages.map(decoded).filter((m): m is RunEvent => m.type !== 'pong' && m.type !== 'command_error');
}

async function finishedQuick(): Promise<{ id: string; total: number }> {
  const id = await createRun(base, { scenario: 'quick', speed: 0 });
  return { id, total: (await allEvents(base, id)).length };
}

describe('mock server: WebSocket', () => {
  it('replays then follows every event, and closes 1000 after done', async () => {
    const { id, total } = await finishedQuick();
    const client = await WsClient.open(socketUrl(id));
    const events = await drain(client);
    assert.deepEqual(
      events.map((e) => e.seq),
      Array.from({ length: total }, (_, i) => i + 1),
    );
    assert.equal((await client.closed).code, CLOSE_NORMAL);
  });

  it('?after=N starts after N; plane=control omits tokens', async () => {
    const { id, total } = await finishedQuick();
    const resumed = await WsClient.open(socketUrl(id, '?after=10'));
    const events = await drain(resumed);
    assert.equal(events[0]?.seq, 11);
    assert.equal(events.length, total - 10);
    const control = await WsClient.open(socketUrl(id, '?plane=control'));
    const controlEvents = await drain(control);
    assert.ok(controlEvents.length > 0);
    assert.ok(controlEvents.every((e) => e.type !== 'token'));
    assert.equal(controlEvents.at(-1)?.type, 'done');
  });

  it('ping → pong (with id); resume {after_seq} resends; bad commands → command_error, the socket stays open', async () => {
    const id = await createRun(base, { scenario: 'agent', speed: 0 });
    const client = await WsClient.open(socketUrl(id));
    const need = await client.until((m) => m['type'] === 'need_input');
    assert.ok(need);
    client.send({ type: 'ping', id: 'p1' });
    assert.deepEqual(await client.until((m) => m['type'] === 'pong'), { type: 'pong', id: 'p1' });
    client.send({ type: 'ping' });
    assert.deepEqual(await client.until((m) => m['type'] === 'pong'), { type: 'pong' });

    client.send({ type: 'resume', after_seq: 2 });
    const again = await client.nextJson();
    assert.equal(again?.['seq'], 3);

    const refusals: [unknown, RegExp, string | undefined][] = [
      ['{not json', /JSON/i, undefined],
      [{ type: 'launch' }, /type/, 'launch'],
      [{ type: 'user_reply', resume_token: 'x' }, /text/, 'user_reply'],
      [{ type: 'resume', after_seq: -1 }, /after_seq/, 'resume'],
    ];
    for (const [command, pattern, name] of refusals) {
      client.send(command);
      const refusal = await client.until((m) => m['type'] === 'command_error');
      assert.ok(refusal);
      const message = decoded(JSON.stringify(refusal));
      assert.ok(message.type === 'command_error');
      assert.equal(message.code, 'bad_command');
      assert.equal(message.status, 400);
      assert.match(message.message, pattern);
      assert.equal(message.command, name);
    }
    client.send({ type: 'ping', id: 'still-open' });
    assert.deepEqual(await client.until((m) => m['type'] === 'pong'), { type: 'pong', id: 'still-open' });
    client.send({ type: 'cancel' });
    const events = await drain(client);
    assert.deepEqual(
      events.slice(-2).map((e) => (e.type === 'done' || e.type === 'status' ? e.state : '')),
      ['cancelled', 'cancelled'],
    );
  });

  it('approval round trip: need_input → user_reply yes → input_accepted, completed and deployed', async () => {
    const id = await createRun(base, { scenario: 'agent', speed: 0 });
    const client = await WsClient.open(socketUrl(id));
    const need = await client.until((m) => m['type'] === 'need_input');
    const token = need?.['resume_token'];
    assert.equal(typeof token, 'string');
    assert.equal((await client.nextJson())?.['state'], 'waiting');
    client.send({ type: 'user_reply', text: 'yes', resume_token: token });
    const events = await drain(client);
    const accepted = events.find((e) => e.type === 'input_accepted');
    assert.ok(accepted?.type === 'input_accepted' && accepted.resume_token === token);
    const done = events.at(-1);
    assert.ok(done?.type === 'done' && done.state === 'completed');
    assert.deepEqual((done.result as { deployed: boolean }).deployed, true);
    assert.equal((await client.closed).code, CLOSE_NORMAL);
  });

  it('approval round trip: user_reply no → cancelled, deployed false', async () => {
    const id = await createRun(base, { scenario: 'agent', speed: 0 });
    const client = await WsClient.open(socketUrl(id, '?plane=control'));
    const need = await client.until((m) => m['type'] === 'need_input');
    client.send({ type: 'user_reply', text: 'No', resume_token: need?.['resume_token'] });
    const events = await drain(client);
    const done = events.at(-1);
    assert.ok(done?.type === 'done' && done.state === 'cancelled');
    assert.deepEqual(done.result, { deployed: false });
  });

  it('input_accepted is broadcast to every connection of the run', async () => {
    const id = await createRun(base, { scenario: 'agent', speed: 0 });
    const a = await WsClient.open(socketUrl(id));
    const b = await WsClient.open(socketUrl(id, '?plane=control'));
    const need = await a.until((m) => m['type'] === 'need_input');
    await b.until((m) => m['type'] === 'need_input');
    a.send({ type: 'user_reply', text: 'yes', resume_token: need?.['resume_token'] });
    const seenByB = await b.until((m) => m['type'] === 'input_accepted');
    assert.equal(seenByB?.['resume_token'], need?.['resume_token']);
    await Promise.all([drain(a), drain(b)]);
  });

  it('stale and reused resume tokens → command_error stale_resume_token (409), the run waits on', async () => {
    const id = await createRun(base, { scenario: 'approvals', speed: 0 });
    const client = await WsClient.open(socketUrl(id, '?plane=control'));
    const first = await client.until((m) => m['type'] === 'need_input');
    assert.equal(first?.['prompt'], APPROVAL_PROMPTS[0]);
    client.send({ type: 'user_reply', text: 'yes', resume_token: 'rt-unknown' });
    const unknown = await client.until((m) => m['type'] === 'command_error');
    assert.deepEqual(unknown, {
      type: 'command_error',
      code: 'stale_resume_token',
      message: 'no pending request has this resume_token',
      status: 409,
      command: 'user_reply',
      resume_token: 'rt-unknown',
    });
    client.send({ type: 'user_reply', text: 'yes', resume_token: first?.['resume_token'] });
    const second = await client.until((m) => m['type'] === 'need_input');
    assert.equal(second?.['prompt'], APPROVAL_PROMPTS[1]);
    client.send({ type: 'user_reply', text: 'yes', resume_token: first?.['resume_token'] });
    const reused = await client.until((m) => m['type'] === 'command_error');
    assert.equal(reused?.['code'], 'stale_resume_token');
    assert.equal(reused['status'], 409);
    assert.equal((await fetchJson<RunSnapshot>(`${base}/api/runs/${id}`)).body.state, 'waiting');
    client.send({ type: 'user_reply', text: 'no', resume_token: second?.['resume_token'] });
    const events = await drain(client);
    const done = events.at(-1);
    assert.ok(done?.type === 'done' && done.state === 'completed');
    assert.deepEqual(done.result, { answers: ['yes', 'no'] });
  });

  it(`closes with ${CLOSE_TOO_BIG} when a message is over MAX_WS_MESSAGE_BYTES`, async () => {
    const id = await createRun(base, { scenario: 'agent', speed: 0 });
    const client = await WsClient.open(socketUrl(id));
    client.send({ type: 'ping', id: 'x'.repeat(MAX_WS_MESSAGE_BYTES) });
    assert.equal((await client.closed).code, CLOSE_TOO_BIG);
    await fetch(`${base}/api/runs/${id}/cancel`, { method: 'POST' });
  });

  it(`unknown run → accepted then closed ${CLOSE_RUN_NOT_FOUND} 'run not found'; bad query → ${CLOSE_BAD_REQUEST}`, async () => {
    const client = await WsClient.open(socketUrl('nope'));
    assert.deepEqual(await client.closed, { code: CLOSE_RUN_NOT_FOUND, reason: 'run not found' });
    const { id } = await finishedQuick();
    const bad = await WsClient.open(socketUrl(id, '?plane=tokens'));
    const closed = await bad.closed;
    assert.equal(closed.code, CLOSE_BAD_REQUEST);
    assert.match(closed.reason, /plane/);
  });
});

describe('mock server: WebSocket faults', () => {
  it('fault_close_after=N terminates without a close frame after N events; the same URL recovers', async () => {
    const { id, total } = await finishedQuick();
    const cut = await WsClient.open(socketUrl(id, '?fault_close_after=4'));
    assert.equal((await cut.closed).code, 1006);
    const head = cut.messages.map(decoded);
    assert.deepEqual(
      head.map((e) => ('seq' in e ? e.seq : 0)),
      [1, 2, 3, 4],
    );
    const again = await WsClient.open(socketUrl(id, '?fault_close_after=4&after=4'));
    const rest = await drain(again);
    assert.deepEqual(
      [...head, ...rest].map((e) => ('seq' in e ? e.seq : 0)),
      Array.from({ length: total }, (_, i) => i + 1),
    );
  });

  it('fault_duplicate, fault_malformed and fault_delay', async () => {
    const { id, total } = await finishedQuick();
    const dup = await WsClient.open(socketUrl(id, '?fault_duplicate=1&after=40'));
    const dupEvents = await drain(dup);
    assert.equal(dupEvents.length, (total - 40) * 2);

    const bad = await WsClient.open(socketUrl(id, '?fault_malformed=3'));
    await bad.closed;
    assert.equal(bad.messages[3], MALFORMED_WS_MESSAGE);
    assert.equal(decodeServerMessage(MALFORMED_WS_MESSAGE).ok, false);
    assert.equal(bad.messages.length, total + 1);

    const started = Date.now();
    const slow = await WsClient.open(socketUrl(id, `?fault_delay=30&after=${total - 2}`));
    assert.ok(Date.now() - started >= 25, 'handshake delayed');
    const slowEvents = await drain(slow);
    assert.equal(slowEvents.length, 2);
    assert.ok(Date.now() - started >= 25 * 3, 'each event delayed');
  });

  it('fault_503=1 refuses the upgrade with 503 once', async () => {
    const { id } = await finishedQuick();
    await assert.rejects(WsClient.open(socketUrl(id, '?fault_503=1')), (err: Error) => err.cause === 503);
    const ok = await WsClient.open(socketUrl(id, '?fault_503=1'));
    await drain(ok);
  });
});
