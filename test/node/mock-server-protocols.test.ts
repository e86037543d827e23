/** The mock server's protocol routes over real HTTP: what they refuse, how they cut, how they resume. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMockServer, type MockServer } from '../../mock-server/server.ts';

let server: MockServer;
before(async () => {
  server = await startMockServer();
});
after(() => server.close());

const post = (path: string, body: unknown): Promise<Response> =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });

/** The data of every frame of an SSE body (read until it ends or breaks). */
async function frames(response: Response): Promise<{ data: string[]; broke: boolean }> {
  let text = '';
  let broke = false;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    broke = true;
  }
  const data = text
    .split('\n\n')
    .filter((f) => f.includes('data: '))
    .map((f) => f.slice(f.indexOf('data: ') + 6));
  return { data, broke };
}

const agUiInput = (threadId: string, extra: object = {}) => ({
  threadId,
  runId: `${threadId}-run`,
  messages: [{ id: 'u1', role: 'user', content: 'Deploy it' }],
  tools: [],
  context: [],
  ...extra,
});

describe('mock AG-UI agent', () => {
  it('refuses an invalid RunAgentInput (400, with @ag-ui/core’s reason)', async () => {
    const res = await post('/protocols/ag-ui/agent', { threadId: 1 });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_run_agent_input');
  });

  it('resumes only what is open, every open interrupt at once, and each once (409 otherwise)', async () => {
    const first = await frames(
      await post('/protocols/ag-ui/agent', agUiInput('t-1', { forwardedProps: { scenario: 'two-interrupts' } })),
    );
    const last = JSON.parse(first.data.at(-1)!) as { outcome: { interrupts: { id: string }[] } };
    assert.deepEqual(
      last.outcome.interrupts.map((i) => i.id),
      ['approve-deploy', 'pick-region'],
    );
    const resume = (entries: object[]) =>
      post('/protocols/ag-ui/agent', agUiInput('t-1', { runId: 'r2', resume: entries }));
    const partial = await resume([{ interruptId: 'approve-deploy', status: 'resolved', payload: { approved: true } }]);
    assert.deepEqual(
      [partial.status, ((await partial.json()) as { error: { code: string } }).error.code],
      [409, 'interrupts_not_covered'],
    );
    const unknown = await resume([{ interruptId: 'nope', status: 'resolved' }]);
    assert.equal(unknown.status, 409);
    await unknown.body?.cancel();
    const ok = await resume([
      { interruptId: 'approve-deploy', status: 'resolved', payload: { approved: true } },
      { interruptId: 'pick-region', status: 'resolved', payload: 'eu-west' },
    ]);
    assert.equal(ok.status, 200);
    const resumed = await frames(ok);
    assert.ok(resumed.data.some((d) => d.includes('"delta":"eu-west."')));
    const twice = await resume([{ interruptId: 'approve-deploy', status: 'resolved', payload: { approved: false } }]);
    assert.deepEqual(
      [twice.status, ((await twice.json()) as { error: { code: string } }).error.code],
      [409, 'interrupt_already_answered'],
    );
  });

  it('cut_after=N: N frames, then the body is cut', async () => {
    const cut = await frames(await post('/protocols/ag-ui/agent?cut_after=3', agUiInput('t-2')));
    assert.deepEqual([cut.data.length, cut.broke], [3, true]);
  });

  it('end_after=N: N frames, then the body ends cleanly without RUN_FINISHED; both switches at once are refused', async () => {
    const ended = await frames(await post('/protocols/ag-ui/agent?end_after=3', agUiInput('t-3')));
    assert.deepEqual([ended.data.length, ended.broke], [3, false]);
    assert.ok(!ended.data.some((d) => d.includes('RUN_FINISHED')));
    const both = await post('/protocols/ag-ui/agent?end_after=3&cut_after=2', agUiInput('t-4'));
    assert.deepEqual(
      [both.status, ((await both.json()) as { error: { code: string } }).error.code],
      [400, 'invalid_query'],
    );
  });
});

describe('mock AI SDK chat', () => {
  const body = (id: string, extra: object = {}) => ({
    id,
    messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Deploy it' }] }],
    trigger: 'submit-message',
    ...extra,
  });

  it('answers with the UI message stream; refuses messages the AI SDK does not validate', async () => {
    const res = await post('/protocols/ai-sdk/api/chat', body('c-1'));
    assert.equal(res.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
    const { data } = await frames(res);
    assert.equal(data.at(-1), '[DONE]');
    assert.ok(data.some((d) => d.includes('"tool-approval-request"')));
    const bad = await post('/protocols/ai-sdk/api/chat', { id: 'c-x', messages: [{ role: 'user' }] });
    assert.equal(bad.status, 400);
  });

  it('a cut stream is replayed whole by GET {api}/{id}/stream; 204 for a chat without one; stop', async () => {
    const cut = await frames(await post('/protocols/ai-sdk/api/chat?cut_after=5', body('c-2')));
    assert.equal(cut.data.length, 5);
    const replay = await frames(await fetch(`${server.url}/protocols/ai-sdk/api/chat/c-2/stream`));
    assert.deepEqual(replay.data.slice(0, 5), cut.data, 'the replay starts from the first frame');
    assert.equal(replay.data.at(-1), '[DONE]');
    const none = await fetch(`${server.url}/protocols/ai-sdk/api/chat/unknown/stream`);
    assert.equal(none.status, 204);
    const stop = await post('/protocols/ai-sdk/api/chat/c-2/stop', {});
    assert.deepEqual(await stop.json(), { success: true });
    assert.equal((await fetch(`${server.url}/protocols/ai-sdk/api/chat/c-2/stream`)).status, 204);
  });
});

describe('mock OpenAI Responses', () => {
  const create = (extra: object = {}, query = '') =>
    post(`/protocols/openai/v1/responses${query}`, { model: 'gpt-mock', input: 'Deploy it', stream: true, ...extra });

  it('streams only; a foreground response cannot be streamed again; a background one resumes after starting_after', async () => {
    assert.equal((await post('/protocols/openai/v1/responses', { model: 'm', input: 'x' })).status, 400);
    const foreground = await frames(await create());
    const id = (JSON.parse(foreground.data[0]!) as { response: { id: string } }).response.id;
    assert.equal((await fetch(`${server.url}/protocols/openai/v1/responses/${id}?stream=true`)).status, 400);

    const cut = await frames(await create({ background: true }, '?cut_after=4'));
    assert.equal(cut.data.length, 4);
    const bg = (JSON.parse(cut.data[0]!) as { response: { id: string } }).response.id;
    const rest = await frames(
      await fetch(`${server.url}/protocols/openai/v1/responses/${bg}?stream=true&starting_after=3`),
    );
    const numbers = rest.data.map((d) => (JSON.parse(d) as { sequence_number: number }).sequence_number);
    assert.equal(numbers[0], 4);
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => i + 4),
    );
  });

  it('an approval request is answered once, in the next response (400 for a second answer)', async () => {
    const first = await frames(await create({ background: true }));
    const id = (JSON.parse(first.data[0]!) as { response: { id: string } }).response.id;
    const answer = { type: 'mcp_approval_response', approval_request_id: 'mcpr_deploy', approve: true };
    const next = await frames(await create({ previous_response_id: id, input: [answer] }));
    assert.ok(next.data.some((d) => d.includes('"delta":"#412 "')));
    const twice = await create({ previous_response_id: id, input: [answer] });
    assert.equal(twice.status, 400);
  });
});

describe('protocol routes on the server kit', () => {
  it('answer preflights with CORS, unknown paths under /protocols/ with 404 and wrong methods with 405 (JSON errors)', async () => {
    const preflight = await fetch(`${server.url}/protocols/ai-sdk/api/chat`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://page.test', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    const missing = await fetch(`${server.url}/protocols/nothing-here`);
    assert.deepEqual(
      [missing.status, ((await missing.json()) as { error: { code: string } }).error.code],
      [404, 'not_found'],
    );
    const wrong = await fetch(`${server.url}/protocols/ag-ui/agent`);
    assert.deepEqual(
      [wrong.status, ((await wrong.json()) as { error: { code: string } }).error.code],
      [405, 'method_not_allowed'],
    );
  });

  it('dropConnections() cuts their open streams with the rest; the stream is counted while open', async () => {
    const res = await post('/protocols/ag-ui/agent?delay_ms=200', agUiInput('t-drop'));
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    await reader.read();
    // At least this one (a stream of an earlier test may not have seen its close event yet).
    assert.ok(server.openConnections() >= 1);
    assert.ok(server.dropConnections() >= 1);
    await assert.rejects(async () => {
      for (;;) if ((await reader.read()).done) break;
    });
    assert.equal(server.openConnections(), 0);
  });
});

describe('transcripts: what each route’s `agent` scenario says, as the stories check it', () => {
  interface Transcript {
    asked: string[];
    approved: string[];
    denied: string[];
  }
  const transcript = async (path: string): Promise<Transcript> => {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 200);
    return (await res.json()) as Transcript;
  };
  /** Deltas folded by id, in the order the ids first came. */
  const fold = (deltas: [string, string][]): string[] => {
    const texts = new Map<string, string>();
    for (const [id, delta] of deltas) texts.set(id, (texts.get(id) ?? '') + delta);
    return [...texts.values()];
  };
  const parse = (data: string[]) =>
    data.filter((d) => d.startsWith('{')).map((d) => JSON.parse(d) as Record<string, string>);

  it('AG-UI: the transcript is what the agent streams, before its interrupt and after it is resumed either way', async () => {
    const expected = await transcript('/protocols/ag-ui/transcripts/agent');
    const texts = (data: string[]) =>
      fold(parse(data).flatMap((e) => (e['type'] === 'TEXT_MESSAGE_CONTENT' ? [[e['messageId']!, e['delta']!]] : [])));
    const asked = await frames(await post('/protocols/ag-ui/agent', agUiInput('t-tr-1')));
    assert.deepEqual(texts(asked.data), expected.asked);
    for (const approved of [true, false]) {
      const thread = `t-tr-${String(approved)}`;
      await frames(await post('/protocols/ag-ui/agent', agUiInput(thread)));
      const resumed = await frames(
        await post(
          '/protocols/ag-ui/agent',
          agUiInput(thread, {
            runId: 'r2',
            resume: [{ interruptId: 'approve-deploy', status: 'resolved', payload: { approved } }],
          }),
        ),
      );
      assert.deepEqual(texts(resumed.data), approved ? expected.approved : expected.denied);
    }
  });

  it('AI SDK: the transcript is what the chat streams before the approval, one message per step', async () => {
    const expected = await transcript('/protocols/ai-sdk/transcripts/agent');
    const { data } = await frames(
      await post('/protocols/ai-sdk/api/chat', {
        id: 'c-tr',
        messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Deploy it' }] }],
        trigger: 'submit-message',
      }),
    );
    let step = 0;
    const deltas: [string, string][] = [];
    for (const chunk of parse(data)) {
      if (chunk['type'] === 'start-step') step++;
      if (chunk['type'] === 'text-delta') deltas.push([`step ${step}`, chunk['delta']!]);
    }
    assert.deepEqual(fold(deltas), expected.asked);
    assert.deepEqual(expected.approved, ['Deployed build #412 to production.']);
    assert.deepEqual(expected.denied, ['Understood: nothing was deployed.']);
  });

  it('OpenAI Responses: the transcript is what the response streams, and what the next one streams for each answer', async () => {
    const expected = await transcript('/protocols/openai/transcripts/agent');
    const texts = (data: string[]) =>
      fold(
        parse(data).flatMap((e) => (e['type'] === 'response.output_text.delta' ? [[e['item_id']!, e['delta']!]] : [])),
      );
    for (const approve of [true, false]) {
      const first = await frames(
        await post('/protocols/openai/v1/responses', { model: 'gpt-mock', input: 'Deploy it', stream: true }),
      );
      assert.deepEqual(texts(first.data), expected.asked);
      const id = (JSON.parse(first.data[0]!) as { response: { id: string } }).response.id;
      const next = await frames(
        await post('/protocols/openai/v1/responses', {
          model: 'gpt-mock',
          stream: true,
          previous_response_id: id,
          input: [{ type: 'mcp_approval_response', approval_request_id: 'mcpr_deploy', approve }],
        }),
      );
      assert.deepEqual(texts(next.data), approve ? expected.approved : expected.denied);
    }
  });

  it('a scenario without a transcript: 404 with a JSON error', async () => {
    const res = await fetch(`${server.url}/protocols/ag-ui/transcripts/bad`);
    assert.deepEqual(
      [res.status, ((await res.json()) as { error: { code: string } }).error.code],
      [404, 'transcript_not_found'],
    );
  });
});
