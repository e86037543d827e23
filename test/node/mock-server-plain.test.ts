import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, decodeServerMessage, decodeSnapshot, type RunEvent } from '../../src/protocol/index.ts';
import { initialState, reduceAll } from '../../src/store/index.ts';
import { fetchJson, postJson, SseClient, WsClient } from '../../mock-server/testing.ts';
import { useMockServer } from '../shared/node-mock-server.ts';

const mock = useMockServer();

interface PlainTask {
  task_id: string;
  status: string;
  progress: number;
  result: unknown;
}

async function createTask(body: Record<string, unknown>): Promise<string> {
  const answer = await postJson<{ task_id: string }>(`${mock.base}/plain/tasks`, body);
  assert.equal(answer.status, 201);
  assert.deepEqual(Object.keys(answer.body), ['task_id']);
  return answer.body.task_id;
}

/** Decode a plain SSE message with the event-name hint, as the client does. */
function decodeSse(message: { event?: string | undefined; data: string }): RunEvent {
  const json: unknown = JSON.parse(message.data);
  const result = decodeEvent(json, message.event === undefined ? {} : { eventName: message.event });
  assert.ok(result.ok, result.ok ? '' : `${message.event ?? '(default)'} ${message.data}: ${result.error.message}`);
  return result.value;
}

describe('mock server: plain dialect', () => {
  it('POST /plain/tasks → {task_id}; only the agent and quick scenarios', async () => {
    const id = await createTask({ scenario: 'quick', speed: 0 });
    assert.match(id, /^t-\d+$/);
    const refused = await postJson<{ error: { field?: string } }>(`${mock.base}/plain/tasks`, { scenario: 'long' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.field, 'scenario');
    const missing = await fetchJson(`${mock.base}/plain/tasks/t-999999`);
    assert.equal(missing.status, 404);
  });

  it('SSE: event name carries the type, JSON has no type/seq, no ids; each frame decodes to the right event', async () => {
    const id = await createTask({ scenario: 'quick', speed: 0 });
    const stream = await SseClient.open(`${mock.base}/plain/tasks/${id}/stream`);
    assert.deepEqual(await stream.ended, { kind: 'end' });
    const messages = stream.messages;
    assert.ok(
      messages.every((m) => m.id === undefined),
      'no ids',
    );
    const status = messages.find((m) => m.event === 'status');
    assert.deepEqual(JSON.parse(status?.data ?? ''), { task_id: id, status: 'queued' });
    const progress = messages.find((m) => m.event === 'progress' && m.data.includes('"progress":25'));
    assert.ok(progress);
    const progressJson = JSON.parse(progress.data) as Record<string, unknown>;
    assert.deepEqual(Object.keys(progressJson), ['task_id', 'progress', 'message']);
    const token = messages.find((m) => m.event === undefined);
    assert.ok(token);
    assert.deepEqual(Object.keys(JSON.parse(token.data) as object), ['type', 'content']);
    const done = messages.at(-1);
    assert.equal(done?.event, 'done');
    assert.deepEqual(Object.keys(JSON.parse(done.data) as object), ['result']);
    for (const m of messages) {
      const json = JSON.parse(m.data) as Record<string, unknown>;
      assert.equal(json['seq'], undefined);
      if (m.event !== undefined) assert.equal(json['type'], undefined);
    }

    const events = messages.map(decodeSse);
    assert.deepEqual([...new Set(events.map((e) => e.type))].sort(), ['done', 'progress', 'status', 'token']);
    const decodedStatus = events[0];
    assert.ok(
      decodedStatus?.type === 'status' &&
        decodedStatus.state === 'queued' &&
        decodedStatus.run_id === id &&
        decodedStatus.seq === undefined,
    );
    const decodedProgress = decodeSse(progress);
    assert.ok(
      decodedProgress.type === 'progress' && decodedProgress.pct === 25 && typeof decodedProgress.message === 'string',
    );
    const state = reduceAll(initialState(id), events);
    assert.equal(state.sequenced, false);
    assert.equal(state.status, 'done');
    assert.equal(state.result?.state, 'completed');
  });

  it('SSE of the agent: steps, tools, logs, need_input, the expiry error and done cancelled all decode', async () => {
    const id = await createTask({ scenario: 'agent', speed: 0, approval_timeout_ms: 20 });
    const stream = await SseClient.open(`${mock.base}/plain/tasks/${id}/stream`);
    assert.deepEqual(await stream.ended, { kind: 'end' });
    const events = stream.messages.map(decodeSse);
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      'status',
      'step',
      'log',
      'tool_call',
      'tool_result',
      'progress',
      'token',
      'need_input',
      'error',
      'done',
    ]) {
      assert.ok(types.has(type as RunEvent['type']), type);
    }
    const error = events.find((e) => e.type === 'error');
    assert.ok(error?.type === 'error' && error.code === 'input_expired');
    assert.deepEqual(JSON.parse(stream.messages.at(-1)?.data ?? ''), { state: 'cancelled' });
    const state = reduceAll(initialState(id), events);
    assert.equal(state.status, 'cancelled');
    assert.equal(state.pendingInput, null);
  });

  it('REST task JSON: {task_id, status, progress, result} and it decodes as a plain snapshot', async () => {
    const id = await createTask({ scenario: 'quick', speed: 0 });
    const stream = await SseClient.open(`${mock.base}/plain/tasks/${id}/stream`);
    await stream.ended;
    const task = await fetchJson<PlainTask>(`${mock.base}/plain/tasks/${id}`);
    assert.equal(task.status, 200);
    assert.deepEqual(Object.keys(task.body), ['task_id', 'status', 'progress', 'result']);
    assert.equal(task.body.task_id, id);
    assert.equal(task.body.status, 'done');
    assert.equal(task.body.progress, 100);
    assert.ok(task.body.result !== null);
    const decoded = decodeSnapshot(task.body);
    assert.ok(decoded.ok);
    assert.equal(decoded.value.sequenced, false);
    assert.equal(decoded.value.snapshot.state, 'done');
    assert.equal(decoded.value.snapshot.progress.pct, 100);
    assert.deepEqual(decoded.value.snapshot.result?.result, task.body.result);
  });

  it('REST task JSON of a waiting agent says running (plain APIs have no waiting)', async () => {
    const id = await createTask({ scenario: 'agent', speed: 0 });
    const ws = await WsClient.open(`${mock.base.replace('http', 'ws')}/plain/ws/agent/${id}`);
    await ws.until((m) => m['type'] === 'need_input');
    const task = await fetchJson<PlainTask>(`${mock.base}/plain/tasks/${id}`);
    assert.equal(task.body.status, 'running');
    assert.equal(task.body.result, null);
    ws.send({ type: 'cancel' });
    await ws.closed;
    assert.equal((await fetchJson<PlainTask>(`${mock.base}/plain/tasks/${id}`)).body.status, 'failed');
  });

  it('WebSocket: the tutorial message shapes; need_input answered with user_reply; each decodes to the right event', async () => {
    const id = await createTask({ scenario: 'agent', speed: 0 });
    const ws = await WsClient.open(`${mock.base.replace('http', 'ws')}/plain/ws/agent/${id}`);
    assert.deepEqual(await ws.nextJson(), { type: 'status', state: 'connected' });
    const need = await ws.until((m) => m['type'] === 'need_input');
    assert.deepEqual(Object.keys(need ?? {}), ['type', 'prompt', 'resume_token']);
    ws.send({ type: 'user_reply', text: 'nope', resume_token: 'stale' });
    const refusal = await ws.until((m) => m['type'] === 'error');
    assert.equal(refusal?.['code'], 'stale_resume_token');
    ws.send({ type: 'user_reply', text: 'yes', resume_token: need?.['resume_token'] });
    assert.equal((await ws.closed).code, 1000);

    const messages = ws.messages.map((text) => JSON.parse(text) as Record<string, unknown>);
    for (const m of messages) {
      assert.equal(m['seq'], undefined);
      assert.equal(m['run_id'], undefined);
      assert.equal(m['call_id'], undefined);
    }
    const byType = (type: string): Record<string, unknown>[] => messages.filter((m) => m['type'] === type);
    assert.deepEqual(Object.keys(byType('tool_call')[0] ?? {}), ['type', 'name', 'args']);
    assert.deepEqual(Object.keys(byType('tool_result')[0] ?? {}), ['type', 'summary']);
    assert.deepEqual(Object.keys(byType('step')[0] ?? {}), ['type', 'name']);
    assert.deepEqual(Object.keys(byType('progress')[0] ?? {}), ['type', 'pct', 'message']);
    assert.deepEqual(messages.at(-1)?.['type'], 'done');
    assert.deepEqual(Object.keys(messages.at(-1) ?? {}), ['type', 'result']);

    const events = ws.messages.map((text) => {
      const result = decodeServerMessage(text);
      assert.ok(result.ok, result.ok ? '' : `${text}: ${result.error.message}`);
      return result.value;
    });
    const runEvents = events.filter((e): e is RunEvent => e.type !== 'pong' && e.type !== 'command_error');
    const first = runEvents[0];
    assert.ok(first?.type === 'status' && first.state === 'running', 'connected → running');
    const call = runEvents.find((e) => e.type === 'tool_call');
    assert.ok(call?.type === 'tool_call' && call.name === 'search_docs' && call.call_id === undefined);
    const result = runEvents.find((e) => e.type === 'tool_result');
    assert.ok(result?.type === 'tool_result' && result.summary.length > 0);
    const progress = runEvents.find((e) => e.type === 'progress');
    assert.ok(
      progress?.type === 'progress' && typeof progress.pct === 'number' && typeof progress.message === 'string',
    );
    const decodedNeed = runEvents.find((e) => e.type === 'need_input');
    assert.ok(decodedNeed?.type === 'need_input' && decodedNeed.resume_token === need?.['resume_token']);
    const done = runEvents.at(-1);
    assert.ok(done?.type === 'done' && done.state === 'completed');
    assert.equal((done.result as { deployed: boolean }).deployed, true);

    // The store pairs the tool results with their calls even without call_id.
    const state = reduceAll(initialState(id), runEvents);
    assert.equal(state.sequenced, false);
    assert.equal(state.status, 'done');
    assert.equal(state.toolCallCount, 2);
    assert.ok(state.toolResults.has('auto-1') && state.toolResults.has('auto-2'));
  });

  it('WebSocket: answering no ends with {"type":"done","state":"cancelled"}', async () => {
    const id = await createTask({ scenario: 'agent', speed: 0 });
    const ws = await WsClient.open(`${mock.base.replace('http', 'ws')}/plain/ws/agent/${id}`);
    const need = await ws.until((m) => m['type'] === 'need_input');
    ws.send({ type: 'user_reply', text: 'no', resume_token: need?.['resume_token'] });
    await ws.closed;
    assert.deepEqual(JSON.parse(ws.messages.at(-1) ?? ''), { type: 'done', state: 'cancelled' });
    const decoded = decodeServerMessage(ws.messages.at(-1) ?? '');
    assert.ok(decoded.ok && decoded.value.type === 'done' && decoded.value.state === 'cancelled');
  });

  it('WebSocket: unknown task → 4404', async () => {
    const ws = await WsClient.open(`${mock.base.replace('http', 'ws')}/plain/ws/agent/t-404404`);
    assert.equal((await ws.closed).code, 4404);
  });
});
