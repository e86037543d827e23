/**
 * The plain fixture servers (examples/servers/) speak exactly the tutorial shapes the issue lists,
 * and the Python and the Node variant of each pattern say the same thing, message for message.
 * Both run as real processes (speed 0: no pauses); the browser tests (test/browser/plain-servers/)
 * then show what agentwire makes of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchJson, postJson, SseClient, WsClient } from '../../mock-server/testing.ts';
import {
  PLAIN_LANGUAGES,
  PLAIN_PATTERNS,
  parseLogLine,
  startPlainServer,
  type PlainLanguage,
  type PlainPattern,
  type PlainServer,
} from '../plain-servers/harness.ts';

type Json = Record<string, unknown>;

const servers = new Map<string, PlainServer>();
const server = (pattern: PlainPattern, language: PlainLanguage): PlainServer => {
  const found = servers.get(`${pattern}/${language}`);
  if (!found) throw new Error(`${language} ${pattern} did not start`);
  return found;
};

before(async () => {
  const all = PLAIN_PATTERNS.flatMap((pattern) => PLAIN_LANGUAGES.map((language) => ({ pattern, language })));
  const started = await Promise.all(all.map(({ pattern, language }) => startPlainServer(pattern, language)));
  for (const s of started) servers.set(`${s.pattern}/${s.language}`, s);
});
after(() => Promise.all([...servers.values()].map((s) => s.stop())));

/** Replace every occurrence of the ids in a transcript, so two servers' transcripts compare. */
function anonymise(value: unknown, ids: string[]): unknown {
  let text = JSON.stringify(value);
  for (const id of ids) text = text.replaceAll(id, '<id>');
  return JSON.parse(text);
}

/** POST `path?query` and return the id the server named (`task_id` or `run_id`). */
async function create(base: string, path: string, query: string): Promise<string> {
  const answer = await postJson<Json>(`${base}${path}?${query}`, {});
  assert.equal(answer.status, 200);
  const id = answer.body['task_id'] ?? answer.body['run_id'];
  assert.equal(typeof id, 'string');
  return id as string;
}

/** An SSE stream read to its end: `[event name | "message", parsed data]` per message. */
async function sseTranscript(url: string): Promise<[string, Json][]> {
  const stream = await SseClient.open(url);
  const messages = await stream.all();
  return messages.map((m) => [m.event ?? 'message', JSON.parse(m.data) as Json]);
}

/** JSON messages of a socket until one matches (included). */
async function wsUntil(ws: WsClient, stop: (m: Json) => boolean): Promise<Json[]> {
  const seen: Json[] = [];
  for (;;) {
    const message = await ws.nextJson();
    assert.ok(message, `the socket closed before the expected message; saw ${JSON.stringify(seen)}`);
    seen.push(message);
    if (stop(message)) return seen;
  }
}

/** Run `play` against the Python and the Node server of a pattern; both transcripts must be equal. */
async function bothSay(pattern: PlainPattern, play: (s: PlainServer) => Promise<unknown>): Promise<unknown> {
  const [python, node] = await Promise.all(PLAIN_LANGUAGES.map((language) => play(server(pattern, language))));
  assert.deepEqual(node, python, `${pattern}: the Node server says something else than the Python one`);
  return python;
}

describe('plain fixture servers (Python and Node say the same)', () => {
  it('REST task: POST → {task_id}; GET → {task_id, status, progress, result}; unknown → 200 {"error"}', async () => {
    const final = await bothSay('rest-task', async (s) => {
      const id = await create(s.url, '/api/tasks', 'speed=0');
      let task: Json = {};
      for (let i = 0; i < 100 && !['done', 'failed'].includes(String(task['status'])); i++)
        task = (await fetchJson<Json>(`${s.url}/api/tasks/${id}`)).body;
      const failedId = await create(s.url, '/api/tasks', 'speed=0&fail=1');
      let failed: Json = {};
      for (let i = 0; i < 100 && failed['status'] !== 'failed'; i++)
        failed = (await fetchJson<Json>(`${s.url}/api/tasks/${failedId}`)).body;
      const unknown = await fetchJson<Json>(`${s.url}/api/tasks/no-such-task`);
      return anonymise({ task, failed, unknown: [unknown.status, unknown.body] }, [id, failedId]);
    });
    assert.deepEqual(final, {
      task: { task_id: '<id>', status: 'done', progress: 100, result: { files: 42 } },
      failed: { task_id: '<id>', status: 'failed', progress: 60, result: null, error: 'disk full' },
      unknown: [200, { error: 'not found' }],
    });
  });

  it('REST task: a new task is queued at 0 % (it starts 0.2 s ÷ speed later)', async () => {
    await bothSay('rest-task', async (s) => {
      // speed=0.001 keeps it queued for 200 s: a loaded machine answering the GET late still sees
      // the state a new task has (at speed 1 the GET raced the start, 0.2 s later).
      const id = await create(s.url, '/api/tasks', 'speed=0.001');
      const first = (await fetchJson<Json>(`${s.url}/api/tasks/${id}`)).body;
      assert.deepEqual(first, { task_id: id, status: 'queued', progress: 0, result: null });
      return null;
    });
  });

  it('SSE task: event names carry the type; no type, no seq, no id lines; tokens on the default event', async () => {
    const transcripts = await bothSay('sse-task', async (s) => {
      const ids: string[] = [];
      const play = async (query: string) => {
        const id = await create(s.url, '/api/tasks', query);
        ids.push(id);
        return sseTranscript(`${s.url}/api/tasks/${id}/stream`);
      };
      const result = {
        full: await play('speed=0'),
        failed: await play('speed=0&fail=1'),
        tokensOnly: await play('speed=0&tokens_only=1&tokens=bare'),
        unknown: (await fetchJson(`${s.url}/api/tasks/no-such-task/stream`)).body,
      };
      return anonymise(result, ids);
    });
    const { full, failed, tokensOnly, unknown } = transcripts as Record<string, [string, Json][]>;
    const progress = (n: number, step: string): [string, Json] => [
      'progress',
      { task_id: '<id>', progress: n * 20 - 10, message: `Step ${n}/5: ${step}` },
    ];
    const head: [string, Json][] = [
      ['status', { task_id: '<id>', status: 'running' }],
      ['step', { task_id: '<id>', name: 'Scan files' }],
      ['status', { task_id: '<id>', status: 'searching' }],
      progress(1, 'listing'),
      progress(2, 'reading'),
      progress(3, 'hashing'),
    ];
    const words = ['Found ', '42 ', 'files ', 'in ', '3 ', 'folders.'];
    assert.deepEqual(full, [
      ...head,
      progress(4, 'indexing'),
      progress(5, 'counting'),
      ...words.map((content): [string, Json] => ['message', { type: 'token', content }]),
      ['done', { task_id: '<id>', result: { files: 42 } }],
    ]);
    assert.deepEqual(failed, [
      ...head,
      ['error', { task_id: '<id>', error: 'disk full' }],
      ['done', { task_id: '<id>', status: 'failed' }],
    ]);
    assert.deepEqual(tokensOnly, [
      ...words.map((content): [string, Json] => ['message', { content }]),
      ['done', { task_id: '<id>', result: { files: 42 } }],
    ]);
    assert.deepEqual(unknown, { error: 'not found' });
  });

  it('WebSocket agent: need_input without resume_token; yes → result "deployed"; no → cancelled (two shapes)', async () => {
    const transcripts = await bothSay('ws-agent', async (s) => {
      const ws = (query: string) => WsClient.open(`${s.url.replace('http', 'ws')}/ws/agent/s1?speed=0&${query}`);
      const play = async (query: string, answers: string[]) => {
        const socket = await ws(query);
        const seen = await wsUntil(socket, (m) => m['type'] === 'need_input');
        for (const [i, text] of answers.entries()) {
          // A ping first: answered with a pong before the reply is read, unless the server ignores pings.
          socket.send({ type: 'ping', id: `p${i}` });
          socket.send({ type: 'user_reply', text });
          seen.push(...(await wsUntil(socket, (m) => m['type'] === 'need_input' || m['type'] === 'done')));
        }
        await socket.close();
        return seen;
      };
      return {
        yes: await play('', ['yes']),
        no: await play('', ['no']),
        noAsResult: await play('cancel_as=result', ['no']),
        twoQuestions: await play('questions=2', ['yes', 'no']),
        ignoringPings: await play('ignore_pings=1', ['yes']),
      };
    });
    const { yes, no, noAsResult, twoQuestions, ignoringPings } = transcripts as Record<string, Json[]>;
    const asking: Json[] = [
      { type: 'status', state: 'connected' },
      { type: 'status', state: 'planning' },
      { type: 'step', name: 'Plan the release' },
      { type: 'tool_call', name: 'run_tests', args: { suite: 'all' } },
      { type: 'tool_result', summary: '128 passed' },
      { type: 'progress', pct: 40, message: 'Tests passed' },
      { type: 'tool_call', name: 'build_image', args: { tag: 'v1.2.0' } },
      { type: 'progress', pct: 60, message: 'Image built' },
      { type: 'status', state: 'waiting_for_approval' },
      { type: 'need_input', prompt: 'Confirm deploy?' },
    ];
    const deploying: Json[] = [
      { type: 'status', state: 'deploying' },
      { type: 'progress', pct: 80, message: 'Deploying v1.2.0' },
      { type: 'done', result: 'deployed' },
    ];
    assert.deepEqual(yes, [...asking, { type: 'pong', id: 'p0' }, ...deploying]);
    assert.deepEqual(no, [...asking, { type: 'pong', id: 'p0' }, { type: 'done', state: 'cancelled' }]);
    assert.deepEqual(noAsResult, [...asking, { type: 'pong', id: 'p0' }, { type: 'done', result: 'cancelled' }]);
    assert.deepEqual(twoQuestions, [
      ...asking,
      { type: 'pong', id: 'p0' },
      { type: 'need_input', prompt: 'Notify the team?' },
      { type: 'pong', id: 'p1' },
      ...deploying,
    ]);
    assert.deepEqual(ignoringPings, [...asking, ...deploying], 'no pong');
  });

  it('WebSocket agent: every connection restarts the conversation; the socket stays open after done', async () => {
    await bothSay('ws-agent', async (s) => {
      const url = `${s.url.replace('http', 'ws')}/ws/agent/again?speed=0`;
      const first = await WsClient.open(url);
      await wsUntil(first, (m) => m['type'] === 'need_input');
      first.send({ type: 'user_reply', text: 'yes' });
      await wsUntil(first, (m) => m['type'] === 'done');
      first.send({ type: 'ping', id: 'after' });
      assert.deepEqual(await first.nextJson(), { type: 'pong', id: 'after' }, 'still open after done');
      await first.close();
      const second = await WsClient.open(url);
      assert.deepEqual(await second.nextJson(), { type: 'status', state: 'connected' });
      await second.close();
      await s.waitForLines(/^disconnected \/ws\/agent\/again$/, 2);
      return null;
    });
  });

  it('hybrid: control plane on WS, tokens on SSE ending with done while the question is pending; late done; event: done', async () => {
    const transcripts = await bothSay('hybrid', async (s) => {
      const ws = s.url.replace('http', 'ws');
      const ids: string[] = [];
      const play = async (query: string, answer: string) => {
        const id = await create(s.url, '/api/runs', `speed=0&${query}`);
        ids.push(id);
        const control = await WsClient.open(`${ws}/ws/runs/${id}`);
        const tokens = await SseClient.open(`${s.url}/api/runs/${id}/tokens`);
        const asked = await wsUntil(control, (m) => m['type'] === 'need_input');
        // Early (the default): the token plane ends, done included, while the question is open.
        // Late: its done waits for the control plane's, which waits for the answer.
        if (!query.includes('late')) await tokens.ended;
        const doneBeforeAnswer = tokens.messages.some((m) => m.event === 'done' || m.data.includes('"done"'));
        control.send({ type: 'user_reply', text: answer });
        const ended = await wsUntil(control, (m) => m['type'] === 'done');
        const tokenPlane = (await tokens.all()).map((m) => [m.event ?? 'message', JSON.parse(m.data) as Json]);
        await control.close();
        return { control: [...asked, ...ended], tokens: tokenPlane, doneBeforeAnswer };
      };
      const result = {
        yes: await play('', 'yes'),
        no: await play('', 'no'),
        eventDone: await play('tokens_end=event', 'yes'),
        late: await play('tokens_done=late', 'no'),
      };
      const unknown = await fetchJson(`${s.url}/api/runs/no-such-run/tokens`);
      return anonymise({ ...result, unknown: [unknown.status, unknown.body] }, ids);
    });
    interface Played {
      control: Json[];
      tokens: [string, Json][];
      doneBeforeAnswer: boolean;
    }
    const { yes, no, eventDone, late, unknown } = transcripts as Record<'yes' | 'no' | 'eventDone' | 'late', Played> & {
      unknown: unknown;
    };
    const words = ['Here ', 'is ', 'the ', 'plan: ', 'run ', 'the ', 'tests, ', 'build ', 'the ', 'image, ', 'deploy '];
    const text = [...words, 'v1.2.0.'].map((content) => ['message', { type: 'token', content }]);
    const asking = [
      { type: 'status', state: 'connected' },
      { type: 'status', state: 'planning' },
      { type: 'step', name: 'Plan the release' },
      { type: 'tool_call', name: 'run_tests', args: { suite: 'all' } },
      { type: 'tool_result', summary: '128 passed' },
      { type: 'progress', pct: 40, message: 'Tests passed' },
      { type: 'status', state: 'waiting_for_approval' },
      { type: 'need_input', prompt: 'Confirm deploy?' },
    ];
    const deployed = [
      { type: 'status', state: 'deploying' },
      { type: 'progress', pct: 80, message: 'Deploying v1.2.0' },
      { type: 'done', result: 'deployed' },
    ];
    assert.deepEqual(yes, {
      control: [...asking, ...deployed],
      tokens: [...text, ['message', { type: 'done' }]],
      doneBeforeAnswer: true,
    });
    assert.deepEqual(no, {
      control: [...asking, { type: 'done', state: 'cancelled' }],
      tokens: [...text, ['message', { type: 'done' }]],
      doneBeforeAnswer: true,
    });
    assert.deepEqual(eventDone, {
      control: [...asking, ...deployed],
      tokens: [...text, ['done', { finish_reason: 'stop' }]],
      doneBeforeAnswer: true,
    });
    assert.deepEqual(late.control, [...asking, { type: 'done', state: 'cancelled' }]);
    assert.deepEqual(late.tokens, [...text, ['message', { type: 'done' }]], 'the done comes after the answer');
    assert.equal(late.doneBeforeAnswer, false, 'late: no done before the answer');
    assert.deepEqual(unknown, [200, { error: 'not found' }]);
  });
});

describe('plain server log lines', () => {
  it('reads uvicorn access lines and the Node servers’ own lines alike', () => {
    assert.deepEqual(parseLogLine('INFO:     127.0.0.1:39828 - "POST /api/tasks?speed=0 HTTP/1.1" 200 OK'), {
      kind: 'http',
      method: 'POST',
      path: '/api/tasks?speed=0',
      pathname: '/api/tasks',
    });
    assert.deepEqual(parseLogLine(`INFO:     ('127.0.0.1', 5) - "WebSocket /ws/runs/x" 403`), {
      kind: 'websocket',
      path: '/ws/runs/x',
      pathname: '/ws/runs/x',
      accepted: false,
    });
    assert.deepEqual(parseLogLine('GET /ws/runs/x'), {
      kind: 'http',
      method: 'GET',
      path: '/ws/runs/x',
      pathname: '/ws/runs/x',
    });
    assert.deepEqual(parseLogLine('WebSocket /ws/agent/a?speed=0 [accepted]'), {
      kind: 'websocket',
      path: '/ws/agent/a?speed=0',
      pathname: '/ws/agent/a',
      accepted: true,
    });
    assert.deepEqual(parseLogLine('disconnected /ws/agent/a'), {
      kind: 'disconnected',
      path: '/ws/agent/a',
      pathname: '/ws/agent/a',
    });
    assert.equal(parseLogLine('INFO:     Application startup complete.'), null);
  });
});
