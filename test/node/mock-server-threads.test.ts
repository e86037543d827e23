/**
 * Conversations on the mock server (the server kit's thread endpoint): a run created with a
 * `thread_id` opens with the user's turn, `GET /api/threads/{id}` returns every run and message of
 * the thread in order, and the `chat` scenario answers the prompt in markdown.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeThread,
  type ApiErrorBody,
  type CreateRunResponse,
  type MessageEvent,
  type NeedInputEvent,
  type RunEvent,
  type ThreadSnapshot,
} from '../../src/protocol/index.ts';
import { CHAT_DEPLOY_PROMPT, MARKDOWN_ANSWER, chatAnswer } from '../../mock-server/scenarios.ts';
import { Random } from '../../mock-server/random.ts';
import { allEvents, fetchJson, postJson, waitForEvent } from '../../mock-server/testing.ts';
import { useMockServer } from '../shared/node-mock-server.ts';

const mock = useMockServer();
let threads = 0;
const freshThread = (): string => `th_test_${process.pid}_${++threads}`;

async function turn(threadId: string, prompt: string, body: Record<string, unknown> = {}): Promise<string> {
  const answer = await postJson<CreateRunResponse>(mock.api('/api/runs'), {
    scenario: 'chat',
    speed: 0,
    prompt,
    thread_id: threadId,
    ...body,
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  assert.equal(answer.body.thread_id, threadId, 'the create answer names the thread');
  return answer.body.run_id;
}

async function thread(threadId: string): Promise<ThreadSnapshot> {
  const answer = await fetchJson(mock.api(`/api/threads/${encodeURIComponent(threadId)}`));
  assert.equal(answer.status, 200);
  const decoded = decodeThread(answer.body);
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  return decoded.value;
}

const textOf = (events: readonly RunEvent[]): string =>
  events.map((e) => (e.type === 'token' ? e.content : '')).join('');

describe('mock server: threads', () => {
  it("a run in a thread opens with the user's turn; the chat scenario answers in markdown", async () => {
    const threadId = freshThread();
    const runId = await turn(threadId, 'How do I add a retry with backoff?');
    const events = await allEvents(mock.base, runId);
    const first = events[0] as MessageEvent;
    assert.deepEqual(
      { type: first.type, role: first.role, content: first.content, seq: first.seq },
      { type: 'message', role: 'user', content: 'How do I add a retry with backoff?', seq: 1 },
    );
    assert.equal(textOf(events), MARKDOWN_ANSWER.trimEnd());
    assert.deepEqual(events.at(-1), { type: 'done', state: 'completed', run_id: runId, seq: events.length });
  });

  it('GET /api/threads/{id} lists the runs in order with every message and its role', async () => {
    const threadId = freshThread();
    const first = await turn(threadId, 'How do I add a retry with backoff?');
    await allEvents(mock.base, first);
    const second = await turn(threadId, 'And how do I test it?');
    await allEvents(mock.base, second);
    const history = await thread(threadId);
    assert.equal(history.thread_id, threadId);
    assert.deepEqual(
      history.runs.map((r) => [r.run_id, r.state]),
      [
        [first, 'done'],
        [second, 'done'],
      ],
    );
    assert.ok(history.runs.every((r) => !Number.isNaN(Date.parse(r.created_at ?? ''))));
    assert.deepEqual(
      history.messages.map((m) => [m.run_id, m.message_id, m.role, m.text.slice(0, 22)]),
      [
        [first, 'u1', 'user', 'How do I add a retry w'],
        [first, 'm1', 'assistant', MARKDOWN_ANSWER.slice(0, 22)],
        [second, 'u1', 'user', 'And how do I test it?'],
        [second, 'm1', 'assistant', '## And how do I test i'],
      ],
    );
  });

  it('a thread nobody wrote to is empty; runs without a thread_id are in none; the user turn needs a thread', async () => {
    const alone = await postJson<CreateRunResponse>(mock.api('/api/runs'), { scenario: 'chat', speed: 0 });
    assert.equal(alone.status, 201);
    assert.equal(alone.body.thread_id, undefined);
    const events = await allEvents(mock.base, alone.body.run_id);
    assert.ok(!events.some((e) => e.type === 'message'), 'no user turn outside a thread');
    assert.deepEqual(await thread(freshThread()), {
      thread_id: `th_test_${process.pid}_${threads}`,
      runs: [],
      messages: [],
    });
  });

  it('refuses a bad thread_id with 400 naming the field, and nothing is created', async () => {
    for (const bad of [5, '', 'has space', 'x'.repeat(129), '<script>']) {
      const answer = await postJson<ApiErrorBody>(mock.api('/api/runs'), { scenario: 'chat', thread_id: bad });
      assert.equal(answer.status, 400, JSON.stringify(bad));
      assert.equal(answer.body.error.code, 'invalid_body');
      assert.equal(answer.body.error.field, 'thread_id');
    }
    const tooLong = await fetchJson<ApiErrorBody>(mock.api(`/api/threads/${'x'.repeat(257)}`));
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.error.field, 'thread_id');
  });

  it('chat asks before it deploys; the waiting run is in the thread as running, its question pending', async () => {
    const threadId = freshThread();
    const runId = await turn(threadId, 'Please deploy the retry change');
    const { event } = await waitForEvent(mock.base, runId, (e) => e.type === 'need_input');
    assert.equal((event as NeedInputEvent).prompt, CHAT_DEPLOY_PROMPT);
    const history = await thread(threadId);
    assert.deepEqual(
      history.runs.map((r) => r.state),
      ['waiting'],
    );
    assert.deepEqual(
      history.messages.map((m) => m.role),
      ['user'],
    );
    const reply = await postJson(mock.api(`/api/runs/${runId}/input`), {
      text: 'yes',
      resume_token: (event as NeedInputEvent).resume_token,
    });
    assert.equal(reply.status, 200);
    const events = await allEvents(mock.base, runId);
    assert.match(textOf(events), /^Deployed \*\*1\.\d\.\d+\*\* to production\./);
  });

  it('chatAnswer is deterministic per seed and keeps markdown out of its heading', () => {
    const a = chatAnswer('fix the **flaky** `upload` test', Random.derive(7, 1));
    const b = chatAnswer('fix the **flaky** `upload` test', Random.derive(7, 1));
    assert.equal(a, b);
    assert.match(a, /^## Fix the flaky upload test\n/);
    assert.match(a, /```ts\n/);
    assert.match(a, /\| option \| effort \| risk \|/);
  });
});
