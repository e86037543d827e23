/** The `xss` scenario: every payload of the corpus reaches every channel intact, as text. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, decodeEventText, decodeServerMessage, type RunEvent } from '../../src/protocol/index.ts';
import { XSS_CHOICES } from '../../mock-server/scenarios.ts';
import { XSS_PAYLOADS } from '../../mock-server/xss-corpus.ts';
import { allEvents, createRun, postJson, SseClient, waitForEvent, WsClient } from '../../mock-server/testing.ts';
import { useMockServer } from '../shared/node-mock-server.ts';

const mock = useMockServer();

describe('mock server: xss scenario', () => {
  it('streams every payload in every text field, identical over SSE, WebSocket and polling', async () => {
    const id = await createRun(mock.base, { scenario: 'xss', speed: 0 });
    const { event: question } = await waitForEvent(mock.base, id, (e) => e.type === 'need_input');
    assert.ok(question.type === 'need_input');
    assert.deepEqual(question.choices, XSS_CHOICES);
    assert.equal(question.prompt, XSS_PAYLOADS.join(' '));
    await postJson(`${mock.base}/api/runs/${id}/input`, {
      text: XSS_CHOICES.at(-1),
      resume_token: question.resume_token,
    });
    const polled = (await allEvents(mock.base, id)).map((raw) => {
      const decoded = decodeEvent(raw);
      assert.ok(decoded.ok);
      return decoded.value;
    });

    const sse = await SseClient.open(`${mock.base}/api/runs/${id}/stream`);
    const fromSse = (await sse.all()).map((m) => {
      const decoded = decodeEventText(m.data, m.event === undefined ? {} : { eventName: m.event });
      assert.ok(decoded.ok);
      assert.equal(m.id, String(decoded.value.seq), 'frames are intact: the id belongs to the event');
      return decoded.value;
    });
    const socket = await WsClient.open(`${mock.base.replace(/^http/, 'ws')}/ws/runs/${id}`);
    await socket.closed;
    const fromWs = socket.messages.map((text) => {
      const decoded = decodeServerMessage(text);
      assert.ok(decoded.ok);
      return decoded.value as RunEvent;
    });
    assert.deepEqual(fromSse, polled);
    assert.deepEqual(fromWs, polled);

    for (const payload of XSS_PAYLOADS) {
      const carrying = polled.filter((e) => JSON.stringify(e).includes(JSON.stringify(payload).slice(1, -1)));
      const types = new Set(carrying.map((e) => e.type));
      for (const type of ['step', 'progress', 'token', 'log', 'tool_call', 'tool_result', 'error', 'unknown'])
        assert.ok(types.has(type as RunEvent['type']), `${type} carries ${payload}`);
    }
    const unknown = polled.filter((e) => e.type === 'unknown');
    assert.deepEqual(
      unknown.map((e) => e.event_type),
      [...XSS_PAYLOADS],
    );
    assert.equal(polled.at(-1)?.type, 'done');
  });
});
