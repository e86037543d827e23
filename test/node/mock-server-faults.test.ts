/**
 * The fault switches the chaos suite relies on, beyond the basic ones: reorder within a window,
 * a left-out event (gap), delay bursts, a 503 on a later connection, a scheduled cut of every
 * connection of a run, and the server-side records (fault counts, replies received).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeServerMessage, type EventsPage, type RunSnapshot } from '../../src/protocol/index.ts';
import { ConnectionSet } from '../../src/server/index.ts';
import { parseFaults } from '../../mock-server/faults.ts';
import { HttpError } from '../../mock-server/errors.ts';
import { MAX_FAULT_REORDER_WINDOW } from '../../mock-server/limits.ts';
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
const ws = (id: string, query: string): string => `${mock.base.replace(/^http/, 'ws')}/ws/runs/${id}${query}`;
const runOf = (id: string): MockRun => {
  const run = mock.server.app.registry.get(id);
  assert.ok(run, `run ${id} exists`);
  return run;
};
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** `seqs` in windows of `size`, each reversed: what fault_reorder sends when everything is there at once. */
function reversedWindows(seqs: number[], size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < seqs.length; i += size) out.push(...seqs.slice(i, i + size).reverse());
  return out;
}

async function finishedQuick(): Promise<{ id: string; total: number }> {
  const id = await createRun(mock.base, { scenario: 'quick', speed: 0 });
  return { id, total: (await allEvents(mock.base, id)).length };
}

async function sseSeqs(url: string): Promise<number[]> {
  const stream = await SseClient.open(url);
  await stream.ended;
  return stream.messages.map((m) => Number(m.id));
}

async function wsSeqs(url: string): Promise<number[]> {
  const client = await WsClient.open(url);
  await client.closed;
  return client.messages.map((text) => {
    const decoded = decodeServerMessage(text);
    assert.ok(decoded.ok && 'seq' in decoded.value);
    return decoded.value.seq ?? 0;
  });
}

describe('mock server: chaos faults', () => {
  it('fault_reorder=W sends what is available in windows of W, each reversed (SSE, WebSocket, events page)', async () => {
    const { id, total } = await finishedQuick();
    const expected = reversedWindows(range(1, total), 3);
    assert.deepEqual(await sseSeqs(api(`/api/runs/${id}/stream?fault_reorder=3`)), expected);
    assert.deepEqual(await wsSeqs(ws(id, '?fault_reorder=3')), expected);
    const page = await fetchJson<EventsPage>(api(`/api/runs/${id}/events?fault_reorder=3`));
    assert.deepEqual(
      page.body.events.map((e) => e.seq),
      expected,
    );
    assert.equal(page.body.last_seq, total, 'the page cursor is still the last seq');
    const windows = Math.floor(total / 3) + (total % 3 >= 2 ? 1 : 0);
    assert.equal(runOf(id).faultCounts.get('reorder'), windows * 3);
    // Once per connection kind: the same URL then gets the events in order.
    assert.deepEqual(await sseSeqs(api(`/api/runs/${id}/stream?fault_reorder=3`)), range(1, total));
  });

  it('fault_gap=N leaves one event out after N (a gap); the next connection carries it', async () => {
    const { id, total } = await finishedQuick();
    const gap = [...range(1, 4), ...range(6, total)];
    assert.deepEqual(await sseSeqs(api(`/api/runs/${id}/stream?fault_gap=4`)), gap);
    assert.deepEqual(await sseSeqs(api(`/api/runs/${id}/stream?fault_gap=4&after=4`)), range(5, total));
    assert.deepEqual(await wsSeqs(ws(id, '?fault_gap=4')), gap);
    const page = await fetchJson<EventsPage>(api(`/api/runs/${id}/events?fault_gap=0`));
    assert.deepEqual(
      page.body.events.map((e) => e.seq),
      range(2, total),
    );
    assert.equal(runOf(id).faultCounts.get('gap'), 3);
  });

  it('fault_burst=N with fault_delay pauses before every N-th event only', async () => {
    const { id, total } = await finishedQuick();
    assert.deepEqual(
      await sseSeqs(api(`/api/runs/${id}/stream?fault_delay=5&fault_burst=4&after=${total - 8}`)),
      range(total - 7, total),
    );
    // One pause before the headers, then one before each burst of 4.
    assert.equal(runOf(id).faultCounts.get('delay'), 3);
  });

  it('fault_503=N refuses the N-th connection only (a 503 on reconnect)', async () => {
    const { id } = await finishedQuick();
    const url = api(`/api/runs/${id}/stream?fault_503=2`);
    assert.equal((await SseClient.open(url)).response.status, 200);
    const refused = await fetch(url);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    await refused.body?.cancel();
    assert.equal((await SseClient.open(url)).response.status, 200);
    await WsClient.open(ws(id, '?fault_503=2')).then((c) => c.closed);
    await assert.rejects(WsClient.open(ws(id, '?fault_503=2')), (err: Error) => err.cause === 503);
    await WsClient.open(ws(id, '?fault_503=2')).then((c) => c.closed);
    assert.equal(runOf(id).faultCounts.get('503'), 2);
    assert.equal((await fetch(api(`/api/runs/${id}/stream?fault_503=0`))).status, 200, '0 switches it off');
  });

  it('fault_kill_at=SEQ cuts every connection of the run at once when the run emits SEQ; other runs are untouched', async () => {
    const id = await createRun(mock.base, { scenario: 'approvals', speed: 0 });
    const { event } = await waitForEvent(mock.base, id, (e) => e.type === 'need_input');
    assert.ok(event.type === 'need_input');
    const lastSeq = (await fetchJson<RunSnapshot>(api(`/api/runs/${id}`))).body.last_seq;
    const other = await createRun(mock.base, { scenario: 'agent', speed: 0 });
    await waitForEvent(mock.base, other, (e) => e.type === 'need_input');
    const bystander = await WsClient.open(ws(other, '?after=1000'));

    const sse = await SseClient.open(api(`/api/runs/${id}/stream?after=${lastSeq}&fault_kill_at=${lastSeq + 1}`));
    const socket = await WsClient.open(ws(id, `?after=${lastSeq}&plane=control`));
    // Parked: it answers only when events after that cursor exist.
    const poll = fetch(api(`/api/runs/${id}/events?after=${lastSeq + 1000}&wait=30`)).then(
      () => 'answered',
      () => 'cut',
    );
    // The parked poll is registered when its request has been read, on a connection of its own.
    await until(() => mock.server.openConnections(id) === 3, 'the stream, the socket and the parked poll to be open');

    // The answer makes the run emit lastSeq + 1 (input_accepted) and play on to its second question.
    await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: event.resume_token });
    assert.equal((await sse.ended).kind, 'error');
    assert.equal((await socket.closed).code, 1006);
    assert.equal(await poll, 'cut');
    assert.equal(runOf(id).faultCounts.get('kill'), 1);
    assert.equal(mock.server.openConnections(id), 0);
    assert.equal(mock.server.openConnections(other), 1, 'the other run keeps its connection');

    // The run itself is untouched: it waits on its second question and completes when answered.
    const snapshot = (await fetchJson<RunSnapshot>(api(`/api/runs/${id}`))).body;
    assert.equal(snapshot.state, 'waiting');
    assert.ok(snapshot.pending_input);
    await postJson(api(`/api/runs/${id}/input`), { text: 'no', resume_token: snapshot.pending_input.resume_token });
    assert.equal((await allEvents(mock.base, id)).at(-1)?.type, 'done');
    await bystander.close();
    await postJson(api(`/api/runs/${other}/cancel`), {});
  });

  it('fault_kill_at for a seq the run already passed arms nothing', async () => {
    const { id } = await finishedQuick();
    await sseSeqs(api(`/api/runs/${id}/stream?fault_kill_at=2`));
    assert.equal(runOf(id).killsArmed.size, 0);
    assert.equal(runOf(id).listenerCount, 0);
  });

  it('refuses bad or unknown fault switches with 400 naming them', () => {
    const bad: [string, string][] = [
      ['fault_reorder=1', 'fault_reorder'],
      [`fault_reorder=${MAX_FAULT_REORDER_WINDOW + 1}`, 'fault_reorder'],
      ['fault_gap=-1', 'fault_gap'],
      ['fault_kill_at=0', 'fault_kill_at'],
      ['fault_burst=0', 'fault_burst'],
      ['fault_503=maybe', 'fault_503'],
      ['fault_skip=4', 'fault_skip'],
      ['fault_dupliate=2', 'fault_dupliate'],
    ];
    for (const [query, field] of bad) {
      assert.throws(
        () => parseFaults(new URLSearchParams(query)),
        (err: unknown) => err instanceof HttpError && err.status === 400 && err.field === field,
        query,
      );
    }
  });

  it('records every reply a run receives, over REST and WebSocket, with its outcome', async () => {
    const id = await createRun(mock.base, { scenario: 'approvals', speed: 0 });
    const { event } = await waitForEvent(mock.base, id, (e) => e.type === 'need_input');
    assert.ok(event.type === 'need_input');
    await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: 'rt-wrong' });
    await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: event.resume_token });
    const client = await WsClient.open(ws(id, '?plane=control'));
    client.send({ type: 'user_reply', text: 'again', resume_token: event.resume_token });
    await client.until((m) => m['type'] === 'command_error');
    await client.close();
    assert.deepEqual(runOf(id).replies, [
      { resumeToken: 'rt-wrong', text: 'yes', accepted: false, refusal: 'stale_resume_token' },
      { resumeToken: event.resume_token, text: 'yes', accepted: true, refusal: undefined },
      { resumeToken: event.resume_token, text: 'again', accepted: false, refusal: 'stale_resume_token' },
    ]);
    assert.equal(runOf(id).repliesReceived, 3);
    await postJson(api(`/api/runs/${id}/cancel`), {});
  });
});

describe('ConnectionSet groups', () => {
  it('killGroup cuts one group only; forgetting keeps the counts right', () => {
    const set = new ConnectionSet();
    const killed: string[] = [];
    const forgetA1 = set.add({ kill: () => killed.push('a1') }, 'a');
    set.add({ kill: () => killed.push('a2') }, 'a');
    set.add({ kill: () => killed.push('b1') }, 'b');
    set.add({ kill: () => killed.push('x') });
    assert.equal(set.size, 4);
    forgetA1();
    assert.equal(set.sizeOf('a'), 1);
    assert.equal(set.killGroup('a'), 1);
    assert.deepEqual(killed, ['a2']);
    assert.equal(set.size, 2);
    assert.equal(set.killGroup('a'), 0);
    assert.equal(set.killAll(), 2);
    assert.deepEqual(killed.sort(), ['a2', 'b1', 'x']);
    assert.equal(set.sizeOf('b'), 0);
  });
});
