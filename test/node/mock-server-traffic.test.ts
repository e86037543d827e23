/** The mock server's traffic counts (what a page's wire tap is checked against), its `stamp` option and its `replay` scenario. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allEvents, createRun, fetchJson, postJson, waitForEvent, WsClient } from '../../mock-server/testing.ts';
import { FrameCounter, runOfPath } from '../../mock-server/traffic.ts';
import { useMockServer } from '../shared/node-mock-server.ts';

const mock = useMockServer();

describe('mock server traffic', () => {
  it('attributes paths to runs and endpoint kinds', () => {
    assert.deepEqual(runOfPath('/api/runs/r1/stream?after=2'), { runId: 'r1', endpoint: 'stream' });
    assert.deepEqual(runOfPath('/api/runs/r1'), { runId: 'r1', endpoint: 'snapshot' });
    assert.deepEqual(runOfPath('/ws/runs/r%201'), { runId: 'r 1', endpoint: 'ws' });
    assert.equal(runOfPath('/api/runs'), undefined);
    assert.equal(runOfPath('/api/runs/stream'), undefined);
  });

  it('counts WebSocket data payloads across pieces, masked or not, and skips control frames', () => {
    const counter = new FrameCounter();
    const text = Buffer.from('hello');
    // Unmasked text frame (5 bytes), a ping (control, 2 bytes), a masked 300-byte binary frame in three pieces.
    counter.push(Buffer.concat([Buffer.from([0x81, 5]), text, Buffer.from([0x89, 2, 1, 2])]));
    const big = Buffer.concat([Buffer.from([0x82, 0xfe, 0x01, 0x2c, 9, 9, 9, 9]), Buffer.alloc(300)]);
    counter.push(big.subarray(0, 3));
    counter.push(big.subarray(3, 100));
    counter.push(big.subarray(100));
    assert.equal(counter.payload, 305);
  });

  it('counts requests, preflights apart, and body bytes of SSE, polls and commands per run', async () => {
    const id = await createRun(mock.base, { scenario: 'quick', speed: 0 });
    const sse = await fetch(mock.api(`/api/runs/${id}/stream`));
    const sseBytes = (await sse.arrayBuffer()).byteLength;
    const page = await fetch(mock.api(`/api/runs/${id}/events?after=0`));
    const pageBytes = (await page.arrayBuffer()).byteLength;
    await fetch(mock.api(`/api/runs/${id}`), { method: 'OPTIONS' });
    const cancel = await postJson(mock.api(`/api/runs/${id}/cancel`), {});
    assert.equal(cancel.status, 409);
    const counts = mock.server.traffic(id)!;
    assert.equal(counts.requests, 3);
    assert.equal(counts.preflights, 1);
    assert.deepEqual(counts.byEndpoint, { stream: 1, events: 1, cancel: 1 });
    assert.equal(counts.bytesIn, 2, 'the cancel body {}');
    const cancelBytes = Buffer.byteLength(JSON.stringify(cancel.body));
    assert.equal(counts.bytesOut, sseBytes + pageBytes + cancelBytes);
  });

  it('counts a WebSocket as a request with the payload of its messages each way', async () => {
    // The agent scenario waits at its question: the socket is still open for the ping.
    const id = await createRun(mock.base, { scenario: 'agent', speed: 0 });
    const ws = await WsClient.open(`${mock.base.replace('http', 'ws')}/ws/runs/${id}`);
    await ws.until((m) => m['type'] === 'need_input');
    ws.send({ type: 'ping', id: '1' });
    await ws.until((m) => m['type'] === 'pong');
    await ws.close();
    const received = ws.messages.reduce((n, m) => n + Buffer.byteLength(m), 0);
    const counts = mock.server.traffic(id)!;
    assert.equal(counts.requests, 1);
    assert.equal(counts.sockets, 1);
    assert.equal(counts.bytesOut, received);
    assert.equal(counts.bytesIn, Buffer.byteLength(JSON.stringify({ type: 'ping', id: '1' })));
  });
});

describe('mock server stamp and replay', () => {
  it('stamps scripted events with their emission time when asked', async () => {
    const before = Date.now();
    const id = await createRun(mock.base, { scenario: 'quick', speed: 0, stamp: true });
    const events = await allEvents(mock.base, id);
    const stamped = events.filter((e) => typeof e.at === 'string');
    assert.ok(stamped.length >= events.length - 2, 'every scripted event is stamped');
    for (const event of stamped) assert.ok(Date.parse(event.at!) >= before - 1);
    const plain = await allEvents(mock.base, await createRun(mock.base, { scenario: 'quick', speed: 0 }));
    assert.ok(plain.every((e) => e.at === undefined));
  });

  it('replays events in order and asks a recorded question again', async () => {
    const replay = {
      events: [
        { after_ms: 0, event: { type: 'status', state: 'running' } },
        { after_ms: 5, event: { type: 'token', content: 'Hi', message_id: 'm1' } },
        { after_ms: 0, event: { type: 'need_input', prompt: 'Ship?', resume_token: 'old', choices: ['yes', 'no'] } },
        { after_ms: 0, event: { type: 'token', content: ' done', message_id: 'm1' } },
        { after_ms: 0, event: { type: 'done', state: 'completed' } },
      ],
    };
    const id = await createRun(mock.base, { scenario: 'replay', replay });
    const asked = await waitForEvent(mock.base, id, (e) => e.type === 'need_input');
    const question = asked.event;
    assert.equal(question.type === 'need_input' && question.prompt, 'Ship?');
    const token = question.type === 'need_input' ? question.resume_token : '';
    assert.equal((await postJson(mock.api(`/api/runs/${id}/input`), { text: 'yes', resume_token: token })).status, 200);
    const events = await allEvents(mock.base, id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['status', 'token', 'need_input', 'status', 'input_accepted', 'token', 'done'],
    );
  });

  it('refuses a bad replay body naming the field', async () => {
    const bad = await postJson<{ error: { field: string } }>(mock.api('/api/runs'), {
      scenario: 'replay',
      replay: { events: [{ after_ms: -1, event: { type: 'token' } }] },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'replay.events[0].after_ms');
    const missing = await postJson<{ error: { field: string } }>(mock.api('/api/runs'), { scenario: 'replay' });
    assert.equal(missing.body.error.field, 'replay');
    const answer = await fetchJson<{ scenarios: { name: string }[] }>(mock.api('/api/scenarios'));
    assert.ok(answer.body.scenarios.some((s) => s.name === 'replay'));
  });
});
