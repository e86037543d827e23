import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEventText, type NeedInputEvent, type RunEvent, type RunSnapshot } from '../../src/protocol/index.ts';
import { MALFORMED_SSE_FRAME } from '../../mock-server/limits.ts';
import {
  allEvents,
  createRun,
  fetchJson,
  postJson,
  SseClient,
  waitForEvent,
  WsClient,
} from '../../mock-server/testing.ts';
import type { EventSourceMessage } from 'eventsource-parser';
import { startMockServer } from '../../mock-server/server.ts';
import { until, useMockServer } from '../shared/node-mock-server.ts';

const mock = useMockServer();

const api = mock.api;

function decode(message: EventSourceMessage): RunEvent {
  const decoded = decodeEventText(message.data, message.event === undefined ? {} : { eventName: message.event });
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  assert.equal(String(decoded.value.seq), message.id, 'the SSE id is the seq');
  return decoded.value;
}

function seqs(messages: readonly EventSourceMessage[]): number[] {
  return messages.map((m) => Number(m.id));
}

async function finishedQuick(): Promise<{ id: string; total: number }> {
  const id = await createRun(mock.base, { scenario: 'quick', speed: 0 });
  return { id, total: (await allEvents(mock.base, id)).length };
}

async function waitingAgent(): Promise<{ id: string; need: NeedInputEvent; lastSeq: number }> {
  const id = await createRun(mock.base, { scenario: 'agent', speed: 0 });
  const { event } = await waitForEvent(mock.base, id, (e) => e.type === 'need_input');
  assert.ok(event.type === 'need_input');
  const lastSeq = (await fetchJson<RunSnapshot>(api(`/api/runs/${id}`))).body.last_seq;
  return { id, need: event, lastSeq };
}

describe('mock server: SSE', () => {
  it('streams every event with the SSE headers, then ends after done', async () => {
    const id = await createRun(mock.base, { scenario: 'agent', speed: 0 });
    const stream = await SseClient.open(api(`/api/runs/${id}/stream`));
    const headers = stream.response.headers;
    assert.equal(stream.response.status, 200);
    assert.match(headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(headers.get('cache-control'), 'no-cache, no-transform');
    assert.equal(headers.get('x-accel-buffering'), 'no');
    assert.equal(headers.get('connection'), 'keep-alive');
    assert.equal(headers.get('access-control-allow-origin'), '*');
    const need = await stream.until((m) => m.event === 'need_input');
    assert.ok(need);
    const event = decode(need);
    assert.ok(event.type === 'need_input');
    await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: event.resume_token });
    assert.deepEqual(await stream.ended, { kind: 'end' });
    const events = stream.messages.map(decode);
    assert.deepEqual(
      seqs(stream.messages),
      events.map((_, i) => i + 1),
    );
    assert.equal(events.at(-1)?.type, 'done');
    assert.equal(stream.messages.at(-1)?.event, 'done');
  });

  it('resumes from Last-Event-ID or ?after= with no duplicate and no gap; the header wins', async () => {
    const { id, total } = await finishedQuick();
    const first = await SseClient.open(api(`/api/runs/${id}/stream`));
    await first.until((m) => m.id === '10');
    first.close();
    await first.ended;
    const head = first.messages.slice(0, 10);

    const byHeader = await SseClient.open(api(`/api/runs/${id}/stream`), { headers: { 'Last-Event-ID': '10' } });
    await byHeader.ended;
    assert.deepEqual(
      seqs([...head, ...byHeader.messages]),
      Array.from({ length: total }, (_, i) => i + 1),
    );

    const byQuery = await SseClient.open(api(`/api/runs/${id}/stream?after=10`));
    await byQuery.ended;
    assert.deepEqual(seqs(byQuery.messages), seqs(byHeader.messages));

    const both = await SseClient.open(api(`/api/runs/${id}/stream?after=3`), { headers: { 'Last-Event-ID': '20' } });
    await both.ended;
    assert.equal(both.messages[0]?.id, '21');
  });

  it('refuses a bad Last-Event-ID / after / heartbeat with 400 naming it', async () => {
    const { id } = await finishedQuick();
    const cases: [string, Record<string, string>, string][] = [
      ['', { 'Last-Event-ID': 'abc' }, 'Last-Event-ID'],
      ['?after=x', {}, 'after'],
      ['?heartbeat=1', {}, 'heartbeat'],
    ];
    for (const [query, headers, field] of cases) {
      const answer = await fetchJson<{ error: { field?: string } }>(api(`/api/runs/${id}/stream${query}`), { headers });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.field, field);
    }
  });

  it('a finished run with nothing left answers 204 (EventSource stops reconnecting)', async () => {
    const { id, total } = await finishedQuick();
    const response = await fetch(api(`/api/runs/${id}/stream`), { headers: { 'Last-Event-ID': String(total) } });
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
  });

  it('/tokens carries token events only (hybrid token plane) and resumes by seq', async () => {
    const { id } = await finishedQuick();
    const stream = await SseClient.open(api(`/api/runs/${id}/tokens`));
    assert.deepEqual(await stream.ended, { kind: 'end' });
    const events = stream.messages.map(decode);
    assert.ok(events.length > 20);
    assert.ok(events.every((e) => e.type === 'token'));
    const middle = stream.messages[5]!;
    const resumed = await SseClient.open(api(`/api/runs/${id}/tokens`), {
      headers: { 'Last-Event-ID': middle.id ?? '' },
    });
    await resumed.ended;
    assert.deepEqual(seqs(resumed.messages), seqs(stream.messages.slice(6)));
  });

  it('sends a first byte at once, then a ping comment every ?heartbeat= ms', async () => {
    const { id, lastSeq } = await waitingAgent();
    const stream = await SseClient.open(api(`/api/runs/${id}/stream?after=${lastSeq}&heartbeat=20`));
    await stream.nextComment();
    await stream.nextComment();
    await stream.nextComment();
    assert.deepEqual(stream.comments.slice(0, 3), ['connected', 'ping', 'ping']);
    assert.equal(stream.messages.length, 0);
    stream.close();
    await stream.ended;
    await postJson(api(`/api/runs/${id}/cancel`), {});
  });

  it('POST /api/runs/stream starts a run and answers with its stream (X-Run-Id)', async () => {
    const stream = await SseClient.open(api('/api/runs/stream'), {
      method: 'POST',
      body: JSON.stringify({ scenario: 'quick', speed: 0 }),
    });
    assert.equal(stream.response.status, 200);
    const id = stream.response.headers.get('x-run-id');
    assert.ok(id);
    await stream.ended;
    const events = stream.messages.map(decode);
    assert.ok(events.every((e) => e.run_id === id));
    assert.equal(events[0]?.seq, 1);
    assert.equal(events.at(-1)?.type, 'done');
    const bad = await postJson<{ error: { field?: string } }>(api('/api/runs/stream'), { scenario: 'nope' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'scenario');
  });

  it('unknown event types go out with their own event name', async () => {
    const id = await createRun(mock.base, { scenario: 'unknown-events', speed: 0 });
    const stream = await SseClient.open(api(`/api/runs/${id}/stream`));
    await stream.ended;
    const thinking = stream.messages.find((m) => m.event === 'thinking');
    assert.ok(thinking);
    const event = decode(thinking);
    assert.ok(event.type === 'unknown' && event.event_type === 'thinking');
  });
});

describe('mock server: SSE faults', () => {
  it('fault_close_after=N cuts the body after N events; the same URL then recovers', async () => {
    const { id, total } = await finishedQuick();
    const url = api(`/api/runs/${id}/stream?fault_close_after=3`);
    const cut = await SseClient.open(url);
    const end = await cut.ended;
    assert.equal(end.kind, 'error', 'an abrupt close, not a clean end');
    assert.deepEqual(seqs(cut.messages), [1, 2, 3]);
    const again = await SseClient.open(url, { headers: { 'Last-Event-ID': '3' } });
    assert.deepEqual(await again.ended, { kind: 'end' });
    assert.deepEqual(
      seqs([...cut.messages, ...again.messages]),
      Array.from({ length: total }, (_, i) => i + 1),
    );
  });

  it('fault_duplicate=K sends every K-th event twice', async () => {
    const { id } = await finishedQuick();
    const stream = await SseClient.open(api(`/api/runs/${id}/stream?fault_duplicate=2`));
    await stream.ended;
    assert.deepEqual(seqs(stream.messages).slice(0, 7), [1, 2, 2, 3, 4, 4, 5]);
  });

  it('fault_delay=MS delays the headers and every event', async () => {
    const { id } = await finishedQuick();
    const started = Date.now();
    const stream = await SseClient.open(api(`/api/runs/${id}/stream?fault_delay=40&after=45`));
    const headersAfter = Date.now() - started;
    assert.ok(headersAfter >= 35, `headers after ${headersAfter} ms`);
    await stream.ended;
    const count = stream.messages.length;
    assert.ok(count >= 2);
    assert.ok(Date.now() - started >= 35 * (count + 1), 'each event waited');
  });

  it('fault_malformed=N sends one malformed frame without an id after N events, then goes on', async () => {
    const { id, total } = await finishedQuick();
    const stream = await SseClient.open(api(`/api/runs/${id}/stream?fault_malformed=2`));
    assert.deepEqual(await stream.ended, { kind: 'end' });
    const bad = stream.messages[2];
    assert.ok(bad);
    assert.equal(bad.id, undefined);
    assert.equal(`data: ${bad.data}\n\n`, MALFORMED_SSE_FRAME);
    assert.equal(decodeEventText(bad.data).ok, false);
    const good = stream.messages.filter((m) => m !== bad);
    assert.deepEqual(
      seqs(good),
      Array.from({ length: total }, (_, i) => i + 1),
    );
  });

  it('fault_503=1 answers 503 with Retry-After once', async () => {
    const { id } = await finishedQuick();
    const first = await fetch(api(`/api/runs/${id}/stream?fault_503=1`));
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '1');
    assert.equal(((await first.json()) as { error: { code: string } }).error.code, 'unavailable');
    const second = await SseClient.open(api(`/api/runs/${id}/stream?fault_503=1`));
    assert.equal(second.response.status, 200);
    await second.ended;
  });

  it('fault_buffer=1 sends headers but no byte until the run ended', async () => {
    const id = await createRun(mock.base, { scenario: 'agent', speed: 0 });
    const stream = await SseClient.open(api(`/api/runs/${id}/stream?fault_buffer=1&heartbeat=10`));
    assert.equal(stream.response.status, 200);
    const { event } = await waitForEvent(mock.base, id, (e) => e.type === 'need_input');
    assert.ok(event.type === 'need_input');
    // Events were produced and an unbuffered twin has received its events and two heartbeats:
    // the buffering "proxy" still holds every byte of the first stream.
    const twin = await SseClient.open(api(`/api/runs/${id}/stream?heartbeat=10`));
    await twin.until((m) => m.event === 'need_input');
    await twin.nextComment();
    await twin.nextComment();
    twin.close();
    await twin.ended;
    const firstByteWhileHeld = stream.firstByteAt;
    assert.equal(firstByteWhileHeld, undefined);
    assert.equal(stream.messages.length, 0);
    const endedAt = Date.now();
    await postJson(api(`/api/runs/${id}/input`), { text: 'no', resume_token: event.resume_token });
    assert.deepEqual(await stream.ended, { kind: 'end' });
    assert.ok((stream.firstByteAt ?? 0) >= endedAt);
    assert.equal(stream.messages.at(-1)?.event, 'done');
    assert.ok(stream.comments.includes('ping'));
  });

  it('dropConnections() cuts every open SSE, WebSocket and long-poll connection at once', async () => {
    // A server of its own, so connections left closing by earlier tests cannot skew the count.
    const own = await startMockServer({ port: 0 });
    try {
      const url = (path: string): string => `${own.url}${path}`;
      const id = await createRun(own.url, { scenario: 'agent', speed: 0 });
      await waitForEvent(own.url, id, (e) => e.type === 'need_input');
      const lastSeq = (await fetchJson<RunSnapshot>(url(`/api/runs/${id}`))).body.last_seq;
      const sse = await SseClient.open(url(`/api/runs/${id}/stream?after=${lastSeq}`));
      const ws = await WsClient.open(`${own.url.replace('http', 'ws')}/ws/runs/${id}?after=${lastSeq}`);
      const poll = fetch(url(`/api/runs/${id}/events?after=${lastSeq}&wait=30`)).then(
        () => 'answered',
        () => 'cut',
      );
      // The long-poll is held once its request has been read (a later request on another connection
      // can be answered before that).
      await until(() => own.openConnections(id) === 3, 'the stream, the socket and the parked poll to be open');
      assert.equal(own.dropConnections(), 3);
      assert.equal((await sse.ended).kind, 'error');
      assert.equal((await ws.closed).code, 1006);
      assert.equal(await poll, 'cut');
      // The run is untouched.
      assert.equal((await fetchJson<RunSnapshot>(url(`/api/runs/${id}`))).body.state, 'waiting');
    } finally {
      await own.close();
    }
  });
});
