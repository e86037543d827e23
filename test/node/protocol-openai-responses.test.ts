/**
 * OpenAI Responses decoding: streams built from events typed with the `openai` package's own
 * `ResponseStreamEvent`, and the mock server's stream read both by the official `openai` client and
 * by the session (they see the same events).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { Response as OpenAiResponse, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { NeedInputEvent } from '../../src/protocol/index.ts';
import { openaiResponses } from '../../src/protocols/openai-responses/index.ts';
import type { StreamSession } from '../../src/protocols/types.ts';
import { startMockServer, type MockServer } from '../../mock-server/server.ts';
import { ofType, play, seqs, sessionOf, stateOf, textsOf } from '../shared/protocol-harness.ts';

type Unnumbered = ResponseStreamEvent extends infer E
  ? E extends ResponseStreamEvent
    ? Omit<E, 'sequence_number'>
    : never
  : never;

const response = (id: string, extra: Partial<OpenAiResponse> = {}): OpenAiResponse => ({
  id,
  object: 'response',
  created_at: 0,
  model: 'gpt-test',
  status: 'in_progress',
  background: true,
  output: [],
  output_text: '',
  error: null,
  incomplete_details: null,
  instructions: null,
  metadata: null,
  parallel_tool_calls: true,
  temperature: null,
  tool_choice: 'auto',
  tools: [],
  top_p: null,
  access_programs: null,
  ...extra,
});

/** SSE text of typed events, numbered from `from`. */
function sse(events: Unnumbered[], from = 0): string {
  return events
    .map((e, i) => {
      const numbered = { ...e, sequence_number: from + i };
      return `event: ${numbered.type}\ndata: ${JSON.stringify(numbered)}\n\n`;
    })
    .join('');
}

const USAGE = {
  input_tokens: 10,
  input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
  output_tokens: 6,
  output_tokens_details: { reasoning_tokens: 2 },
  total_tokens: 16,
};

/** A response that reasons, calls an MCP tool, answers with a citation and asks for an approval. */
function agentEvents(id: string): Unnumbered[] {
  return [
    { type: 'response.created', response: response(id) },
    { type: 'response.in_progress', response: response(id) },
    { type: 'response.output_item.added', output_index: 0, item: { id: 'rs', type: 'reasoning', summary: [] } },
    {
      type: 'response.reasoning_summary_text.delta',
      item_id: 'rs',
      output_index: 0,
      summary_index: 0,
      delta: 'Think ',
    },
    {
      type: 'response.reasoning_summary_text.delta',
      item_id: 'rs',
      output_index: 0,
      summary_index: 0,
      delta: 'first.',
    },
    {
      type: 'response.output_item.added',
      output_index: 1,
      item: { id: 'mcp1', type: 'mcp_call', name: 'check', server_label: 'ci', arguments: '', status: 'in_progress' },
    },
    { type: 'response.mcp_call_arguments.delta', item_id: 'mcp1', output_index: 1, delta: '{"b":' },
    { type: 'response.mcp_call_arguments.delta', item_id: 'mcp1', output_index: 1, delta: '1}' },
    { type: 'response.mcp_call_arguments.done', item_id: 'mcp1', output_index: 1, arguments: '{"b":1}' },
    {
      type: 'response.output_item.done',
      output_index: 1,
      item: { id: 'mcp1', type: 'mcp_call', name: 'check', server_label: 'ci', arguments: '{"b":1}', output: '"ok"' },
    },
    {
      type: 'response.output_item.added',
      output_index: 2,
      item: { id: 'msg', type: 'message', role: 'assistant', status: 'in_progress', content: [] },
    },
    {
      type: 'response.output_text.delta',
      item_id: 'msg',
      output_index: 2,
      content_index: 0,
      delta: 'All ',
      logprobs: [],
    },
    {
      type: 'response.output_text.delta',
      item_id: 'msg',
      output_index: 2,
      content_index: 0,
      delta: 'good.',
      logprobs: [],
    },
    {
      type: 'response.output_text.annotation.added',
      item_id: 'msg',
      output_index: 2,
      content_index: 0,
      annotation_index: 0,
      annotation: { type: 'url_citation', url: 'https://ci.example.com/1', title: 'CI', start_index: 0, end_index: 9 },
    },
    {
      type: 'response.output_item.done',
      output_index: 3,
      item: {
        id: 'apr',
        type: 'mcp_approval_request',
        name: 'deploy',
        server_label: 'ci',
        arguments: '{"env":"prod"}',
      },
    },
    { type: 'response.completed', response: response(id, { status: 'completed', usage: USAGE }) },
  ];
}

function started(background = true): StreamSession {
  const session = sessionOf(openaiResponses);
  const plan = session.start({
    model: 'gpt-test',
    input: 'Deploy it',
    background,
    tools: [{ type: 'mcp', server_label: 'ci' }],
  });
  assert.equal(plan.runId, undefined, 'the stream names the run (its first response)');
  assert.deepEqual(plan.request.json, {
    model: 'gpt-test',
    input: 'Deploy it',
    background,
    tools: [{ type: 'mcp', server_label: 'ci' }],
    stream: true,
  });
  return session;
}

describe('OpenAI Responses: events decode into the store events', () => {
  it('reasoning summary, text, an MCP call with streamed arguments and output, citations, usage, an approval request', () => {
    const session = started();
    const played = play(session, sse(agentEvents('resp_1')));
    assert.deepEqual(played.errors, []);
    assert.equal(played.complete, true);
    assert.deepEqual(
      seqs(played.events),
      played.events.map((_, i) => i + 1),
    );
    assert.equal(session.runId, 'resp_1');
    const state = stateOf(played.events);
    assert.deepEqual(textsOf(state.text), { msg: 'All good.' });
    assert.deepEqual(textsOf(state.reasoning), { rs: 'Think first.' });
    assert.deepEqual(
      ofType(played.events, 'tool_call_delta').map((e) => e.delta),
      ['', '{"b":', '1}'],
    );
    assert.deepEqual(state.toolResults.get('mcp1')?.result, 'ok');
    assert.deepEqual(
      state.sources.toArray().map((s) => s.url),
      ['https://ci.example.com/1'],
    );
    assert.deepEqual(state.usage, { input_tokens: 10, output_tokens: 6, reasoning_tokens: 2, total_tokens: 16 });
    assert.equal(state.status, 'waiting');
    const request = played.events.find((e): e is NeedInputEvent => e.type === 'need_input')!;
    assert.deepEqual(
      [request.prompt, request.kind, request.resume_token],
      ['Allow ci: deploy {"env":"prod"}?', 'approval', 'apr'],
    );
  });

  it('a function call streams its arguments; failed, incomplete and error end the run', () => {
    const fn = play(
      started(),
      sse([
        { type: 'response.created', response: response('r2') },
        {
          type: 'response.output_item.added',
          output_index: 0,
          item: { id: 'fc', type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '' },
        },
        { type: 'response.function_call_arguments.delta', item_id: 'fc', output_index: 0, delta: '{"city":' },
        { type: 'response.function_call_arguments.delta', item_id: 'fc', output_index: 0, delta: '"Paris"}' },
        {
          type: 'response.function_call_arguments.done',
          item_id: 'fc',
          output_index: 0,
          arguments: '{"city":"Paris"}',
        },
        { type: 'response.completed', response: response('r2', { status: 'completed' }) },
      ]),
    );
    const call = fn.events.find((e) => e.type === 'tool_call');
    assert.deepEqual(call?.type === 'tool_call' && [call.call_id, call.name, call.args], [
      'call_1',
      'weather',
      { city: 'Paris' },
    ]);
    assert.equal(stateOf(fn.events).status, 'done');

    const failed = stateOf(
      play(
        started(),
        sse([
          { type: 'response.created', response: response('r3') },
          {
            type: 'response.failed',
            response: response('r3', { status: 'failed', error: { code: 'server_error', message: 'down' } }),
          },
        ]),
      ).events,
    );
    assert.equal(failed.status, 'failed');
    const incomplete = stateOf(
      play(
        started(),
        sse([
          { type: 'response.created', response: response('r4') },
          {
            type: 'response.incomplete',
            response: response('r4', { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }),
          },
        ]),
      ).events,
    );
    assert.deepEqual([incomplete.status, incomplete.result?.finish_reason], ['done', 'incomplete: max_output_tokens']);
    const errored = stateOf(
      play(started(), sse([{ type: 'error', code: 'rate_limit', message: 'slow down', param: null }])).events,
    );
    assert.equal(errored.status, 'failed');
  });
});

describe('OpenAI Responses: sequence numbers, resume, approvals', () => {
  it('a cut background response resumes with starting_after; frames at or below it are skipped', () => {
    const session = started();
    const events = agentEvents('resp_1');
    const whole = play(started(), sse(events));
    const first = play(session, sse(events.slice(0, 7)), 'start', true);
    const next = session.next();
    assert.equal(next.type, 'request');
    assert.deepEqual(
      [next.origin, next.request.method, next.request.url.href],
      ['resume', 'GET', 'http://agent.test/v1/responses/resp_1?stream=true&starting_after=6'],
    );
    // A server that sends a few frames again (from 4) is still applied exactly once.
    const rest = play(session, sse(events.slice(4), 4), 'resume');
    assert.deepEqual(
      [...first.events, ...rest.events].map(({ at: _at, ...e }) => e),
      whole.events.map(({ at: _at, ...e }) => e),
    );
  });

  it('a cut response that is not background cannot be streamed again, and says so', () => {
    const session = started(false);
    const foreground = agentEvents('resp_9').map((e) =>
      'response' in e ? { ...e, response: { ...e.response, background: false } } : e,
    );
    play(session, sse(foreground.slice(0, 5)), 'start', true);
    const next = session.next();
    assert.equal(next.type, 'cannot_resume');
  });

  it('an approval is answered with an mcp_approval_response item in the next response', () => {
    const session = started();
    const played = play(session, sse(agentEvents('resp_1')));
    const request = played.events.find((e): e is NeedInputEvent => e.type === 'need_input')!;
    const plan = session.answer({ request, text: 'Deny', value: { approved: false, reason: 'not today' } });
    assert.equal(plan.type, 'send');
    assert.deepEqual(plan.request.json, {
      model: 'gpt-test',
      background: true,
      tools: [{ type: 'mcp', server_label: 'ci' }],
      stream: true,
      previous_response_id: 'resp_1',
      input: [{ type: 'mcp_approval_response', approval_request_id: 'apr', approve: false, reason: 'not today' }],
    });
    const accepted = session.answered(plan.answers);
    const next = play(
      session,
      sse([
        { type: 'response.created', response: response('resp_2') },
        { type: 'response.completed', response: response('resp_2', { status: 'completed', usage: USAGE }) },
      ]),
      'continue',
    );
    const state = stateOf([...played.events, ...accepted, ...next.events]);
    assert.equal(state.status, 'done');
    assert.equal(state.usage?.total_tokens, 32, 'usage adds up over the run’s responses');
    assert.equal(session.answer({ request, text: 'Approve' }).type, 'refused');
  });

  it('bad input: unknown types kept, malformed JSON and deltas for items never added are typed errors', () => {
    const session = started();
    const frames =
      sse([{ type: 'response.created', response: response('r5') }]) +
      `event: response.brand_new\ndata: ${JSON.stringify({ type: 'response.brand_new', sequence_number: 1 })}\n\n` +
      'data: {not json\n\n' +
      `data: ${JSON.stringify({ type: 'response.output_text.delta', sequence_number: 2, item_id: 'ghost', delta: 'x' })}\n\n` +
      sse([{ type: 'response.completed', response: response('r5', { status: 'completed' }) }], 3);
    const played = play(session, frames);
    assert.deepEqual(
      played.errors.map((e) => e.code),
      ['malformed_json', 'out_of_order'],
    );
    const state = stateOf(played.events);
    assert.ok(
      state.log
        .toArray()
        .some((e) => e.kind === 'event' && e.event.type === 'unknown' && e.event.event_type === 'response.brand_new'),
    );
    assert.equal(state.status, 'done');
  });
});

describe('OpenAI Responses: the mock server, read by the official openai client and by the session', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer();
  });
  after(() => server.close());

  it('the same events, in the same order, parsed by both', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/protocols/openai/v1`, apiKey: 'test-key', maxRetries: 0 });
    const stream = await client.responses.create({
      model: 'gpt-mock',
      input: 'Deploy it',
      stream: true,
      background: true,
      metadata: { scenario: 'agent' },
    });
    const seen: ResponseStreamEvent[] = [];
    for await (const event of stream) seen.push(event);
    const created = seen[0];
    assert.ok(created?.type === 'response.created');
    assert.equal(seen.at(-1)?.type, 'response.completed');
    assert.deepEqual(
      seen.map((e) => e.sequence_number),
      seen.map((_, i) => i),
    );

    const id = created.response.id;
    const again = await fetch(`${server.url}/protocols/openai/v1/responses/${id}?stream=true`);
    const session = sessionOf(openaiResponses, id);
    const played = play(session, await again.text(), 'attach');
    assert.deepEqual(played.errors, []);
    const state = stateOf(played.events);
    assert.equal(state.status, 'waiting');
    const texts = seen.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    assert.equal(Object.values(textsOf(state.text)).join(''), texts.join(''));
  });
});
