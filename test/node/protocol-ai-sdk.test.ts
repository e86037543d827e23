/**
 * AI SDK UI message stream decoding, against the AI SDK itself: every stream here is produced by
 * the `ai` package (streamText on `ai/test`'s MockLanguageModelV4, toUIMessageStream,
 * createUIMessageStream, createUIMessageStreamResponse), and what the session sends back is what
 * the AI SDK client would: validated with validateUIMessages, converted with convertToModelMessages
 * and compared with the message `readUIMessageStream` builds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  convertToModelMessages,
  createUIMessageStream,
  createUIMessageStreamResponse,
  isStepCount,
  readUIMessageStream,
  simulateReadableStream,
  streamText,
  tool,
  toUIMessageStream,
  validateUIMessages,
  type ModelMessage,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { z } from 'zod';
import type { NeedInputEvent } from '../../src/protocol/index.ts';
import { aiSdk } from '../../src/protocols/ai-sdk/index.ts';
import type { StreamSession } from '../../src/protocols/types.ts';
import { ofType, play, seqs, sessionOf, stateOf, textsOf } from '../shared/protocol-harness.ts';

type Part = Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;
type CallOptions = Parameters<MockLanguageModelV4['doStream']>[0];

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output - 2, reasoning: 2 },
});
const text = (id: string, value: string): Part[] => [
  { type: 'text-start', id },
  ...value.split(/(?<= )/).map((delta): Part => ({ type: 'text-delta', id, delta })),
  { type: 'text-end', id },
];
const call = (id: string, toolName: string, pieces: string[]): Part[] => [
  { type: 'tool-input-start', id, toolName },
  ...pieces.map((delta): Part => ({ type: 'tool-input-delta', id, delta })),
  { type: 'tool-input-end', id },
  { type: 'tool-call', toolCallId: id, toolName, input: pieces.join('') },
];

/** The model: by what the prompt holds, the next step of "check the build, then deploy (with approval)". */
function step(options: CallOptions): Part[] {
  const results = new Map<string, { type: string }>();
  for (const m of options.prompt)
    if (m.role === 'tool') for (const p of m.content) if (p.type === 'tool-result') results.set(p.toolName, p.output);
  const deploy = results.get('deploy');
  if (deploy)
    return [
      ...text('t3', deploy.type === 'execution-denied' ? 'Nothing deployed.' : 'Deployed.'),
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(5, 4) },
    ];
  if (results.has('check'))
    return [
      ...text('t2', 'Build passed. '),
      { type: 'source', sourceType: 'url', id: 's1', url: 'https://ci.example.com/412', title: 'Build 412' },
      ...call('c2', 'deploy', ['{"env":', '"prod"}']),
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(20, 10) },
    ];
  return [
    { type: 'reasoning-start', id: 'r1' },
    { type: 'reasoning-delta', id: 'r1', delta: 'Check ' },
    { type: 'reasoning-delta', id: 'r1', delta: 'first.' },
    { type: 'reasoning-end', id: 'r1' },
    ...text('t1', 'Checking the build.'),
    ...call('c1', 'check', ['{"branch":', '"main"}']),
    { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(10, 6) },
  ];
}

/** One POST's answer, as an AI SDK v7 route produces it: the SSE text. */
async function turn(messages: UIMessage[]): Promise<string> {
  const model = new MockLanguageModelV4({
    doStream: (options) => Promise.resolve({ stream: simulateReadableStream({ chunks: step(options) }) }),
  });
  const result = streamText({
    model,
    messages: await convertToModelMessages(messages),
    stopWhen: isStepCount(5),
    tools: {
      check: tool({ inputSchema: z.object({ branch: z.string() }), execute: () => ({ status: 'passed' }) }),
      deploy: tool({ inputSchema: z.object({ env: z.string() }), execute: ({ env }) => ({ deployed: env }) }),
    },
    toolApproval: { deploy: 'user-approval' },
  });
  const response = createUIMessageStreamResponse({
    stream: toUIMessageStream({
      stream: result.stream,
      originalMessages: messages,
      generateMessageId: () => 'a1',
      sendSources: true,
      messageMetadata: ({ part }) => (part.type === 'finish' ? { usage: part.totalUsage } : undefined),
    }),
  });
  assert.equal(response.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
  return response.text();
}

/** A stream written with the AI SDK's writer (for chunks streamText never emits). */
function written(chunks: UIMessageChunk[]): Promise<string> {
  return createUIMessageStreamResponse({
    stream: createUIMessageStream({
      execute: ({ writer }) => {
        for (const chunk of chunks) writer.write(chunk);
      },
    }),
  }).text();
}

/** The chunks of SSE text, as the AI SDK client would read them. */
function chunksOf(sse: string): UIMessageChunk[] {
  return sse
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: ') && frame !== 'data: [DONE]')
    .map((frame) => JSON.parse(frame.slice(6)) as UIMessageChunk);
}

const user: UIMessage = { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Deploy it' }] };

function started(): StreamSession {
  const session = sessionOf(aiSdk);
  const plan = session.start({ id: 'chat-1', messages: [user] });
  assert.equal(plan.runId, 'chat-1');
  assert.equal(plan.request.url.href, 'http://agent.test/api/chat');
  assert.deepEqual(plan.request.json, { id: 'chat-1', messages: [user], trigger: 'submit-message' });
  return session;
}

describe('AI SDK: a UI message stream decodes into the store events', () => {
  it('reasoning, text per step, a tool call with streamed input and its output, steps, sources, usage, the end', async () => {
    const session = started();
    const first = play(session, await turn([user]));
    assert.deepEqual(first.errors, []);
    assert.equal(first.complete, true);
    assert.deepEqual(
      seqs(first.events),
      first.events.map((_, i) => i + 1),
    );
    const state = stateOf(first.events);
    assert.deepEqual(textsOf(state.text), { u1: 'Deploy it', 'a1#1': 'Checking the build.', 'a1#2': 'Build passed. ' });
    assert.equal(state.roles.get('u1'), 'user');
    assert.deepEqual(textsOf(state.reasoning), { 'a1#1': 'Check first.' });
    assert.deepEqual(
      first.events
        .filter((e) => e.type === 'tool_call_delta' && e.call_id === 'c1')
        .map((e) => e.type === 'tool_call_delta' && e.delta),
      ['', '{"branch":', '"main"}'],
    );
    assert.deepEqual(state.toolResults.get('c1')?.result, { status: 'passed' });
    assert.deepEqual(
      ofType(first.events, 'step').map((e) => `${e.name}:${e.state}`),
      ['step 1:started', 'step 1:finished', 'step 2:started', 'step 2:finished'],
    );
    assert.deepEqual(
      state.sources.toArray().map((s) => [s.url, s.title]),
      [['https://ci.example.com/412', 'Build 412']],
    );
    assert.deepEqual(state.usage, { input_tokens: 30, output_tokens: 16, reasoning_tokens: 4, total_tokens: 46 });
    assert.equal(state.status, 'waiting', 'the deploy waits for its approval');
    assert.deepEqual(session.next(), { type: 'wait' });
  });

  it('reset-step withdraws the retried step’s text; transient data is not kept; other data, custom and unknown chunks are', async () => {
    const session = started();
    const played = play(
      session,
      await written([
        { type: 'start', messageId: 'a9' },
        { type: 'start-step' },
        { type: 'text-start', id: 'x' },
        { type: 'text-delta', id: 'x', delta: 'The answer is 4' },
        { type: 'reset-step' },
        { type: 'text-start', id: 'y' },
        { type: 'text-delta', id: 'y', delta: 'The answer is 42.' },
        { type: 'text-end', id: 'y' },
        { type: 'data-progress', data: { pct: 50 }, transient: true },
        { type: 'data-weather', id: 'w', data: { celsius: 21 } },
        { type: 'custom', kind: 'acme.note' },
        { type: 'file', url: 'https://files.example.com/a.png', mediaType: 'image/png' },
        { type: 'message-metadata', messageMetadata: { usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } } },
        { type: 'finish-step' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    );
    assert.deepEqual(played.errors, []);
    const state = stateOf(played.events);
    assert.deepEqual(textsOf(state.text), { u1: 'Deploy it', 'a9#1': 'The answer is 42.' });
    const logged = state.log.toArray().flatMap((e) => (e.kind === 'event' ? [e.event] : []));
    assert.deepEqual(
      ofType(logged, 'unknown').map((e) => e.event_type),
      ['data-weather', 'custom acme.note'],
    );
    assert.ok(
      logged.some((e) => e.type === 'log' && e.message === 'file (image/png): https://files.example.com/a.png'),
    );
    assert.deepEqual(state.usage, { input_tokens: 3, output_tokens: 4, reasoning_tokens: 0, total_tokens: 7 });
    assert.equal(state.result?.finish_reason, 'stop');
  });

  it('an error chunk fails the run; an abort chunk cancels it', async () => {
    const failed = stateOf(
      play(started(), await written([{ type: 'start' }, { type: 'error', errorText: 'rate limited' }])).events,
    );
    assert.equal(failed.status, 'failed');
    const aborted = stateOf(
      play(started(), await written([{ type: 'start' }, { type: 'abort', reason: 'user' }])).events,
    );
    assert.equal(aborted.status, 'cancelled');
    assert.equal(aborted.result?.finish_reason, 'user');
  });
});

describe('AI SDK: approvals, answered the way the AI SDK client answers them', () => {
  for (const approved of [true, false]) {
    it(`${approved ? 'approved' : 'denied'}: the assistant message goes back with the tool part approval-responded, and the run goes on`, async () => {
      const session = started();
      const sse = await turn([user]);
      const first = play(session, sse);
      const request = first.events.find((e): e is NeedInputEvent => e.type === 'need_input')!;
      assert.deepEqual([request.kind, request.tool_call_id, request.choices], ['approval', 'c2', ['Approve', 'Deny']]);
      assert.equal(request.prompt, 'Allow deploy {"env":"prod"}?');

      const plan = session.answer({
        request,
        text: approved ? 'Approve' : 'Deny',
        value: { approved, reason: 'ops said so' },
      });
      assert.equal(plan.type, 'send');
      const body = plan.request.json as { id: string; messages: UIMessage[]; trigger: string; messageId: string };
      assert.deepEqual(
        [plan.request.method, plan.request.url.href, body.id, body.trigger, body.messageId],
        ['POST', 'http://agent.test/api/chat', 'chat-1', 'submit-message', 'a1'],
      );
      // What the AI SDK client itself sends: its message from the same stream, the approval responded.
      let client: UIMessage | undefined;
      for await (const m of readUIMessageStream({
        stream: new ReadableStream<UIMessageChunk>({
          start(c) {
            for (const chunk of chunksOf(sse)) c.enqueue(chunk);
            c.close();
          },
        }),
      }))
        client = m;
      const sent = body.messages.at(-1)!;
      const shape = (m: UIMessage) =>
        m.parts.map((p) => [p.type, 'state' in p ? p.state : undefined, 'text' in p ? p.text : undefined]);
      const expected = shape(client!).map(([type, state, t]) =>
        type === 'tool-deploy' ? [type, 'approval-responded', t] : [type, state, t],
      );
      assert.deepEqual(shape(sent), expected);
      const messages = await validateUIMessages({ messages: body.messages });
      const model: ModelMessage[] = await convertToModelMessages(messages);
      const response = model.find((m) => m.role === 'tool');
      assert.ok(response, 'the approval becomes a tool-approval-response for the model');

      const accepted = session.answered(plan.answers);
      assert.deepEqual(
        accepted.map((e) => e.type),
        ['input_accepted'],
      );
      const second = play(session, await turn(messages), 'continue');
      assert.deepEqual(second.errors, []);
      const state = stateOf([...first.events, ...accepted, ...second.events]);
      const result = state.toolResults.get('c2');
      assert.equal(result?.ok, approved);
      if (!approved) assert.equal(result.summary, 'denied: ops said so');
      assert.equal(textsOf(state.text)['a1#3'], approved ? 'Deployed.' : 'Nothing deployed.');
      assert.equal(state.status, 'done');
      assert.deepEqual(state.usage?.input_tokens, 35, 'usage adds up over the run’s requests');
      assert.equal(session.answer({ request, text: 'Approve' }).type, 'refused', 'answered twice: refused');
    });
  }

  it('an answer given while the stream is still open waits for its end, then goes as the continuation', async () => {
    const session = started();
    const sse = await turn([user]);
    session.open('start');
    let request: NeedInputEvent | undefined;
    const frames = sse.split('\n\n').filter((f) => f !== '');
    let index = 0;
    for (; index < frames.length && !request; index++) {
      for (const r of session.frame({ event: 'message', data: frames[index]!.slice(6) }))
        if (r.ok && r.value.type === 'need_input') request = r.value;
    }
    const held = session.answer({ request: request!, text: 'Approve' });
    assert.equal(held.type, 'held');
    for (; index < frames.length; index++) session.frame({ event: 'message', data: frames[index]!.slice(6) });
    assert.equal(session.close('end'), true);
    const next = session.next();
    assert.equal(next.type === 'request' && next.origin, 'continue');
  });
});

describe('AI SDK: bad input, resume, cuts', () => {
  it('unknown chunks kept; malformed JSON and chunks out of order are typed errors; the stream goes on', () => {
    const session = started();
    const frames = [
      JSON.stringify({ type: 'start', messageId: 'a1' }),
      '{not json',
      JSON.stringify({ type: 'something-new', x: 1 }),
      JSON.stringify({ type: 'text-delta', id: 'ghost', delta: 'boo' }),
      JSON.stringify({ type: 'tool-input-delta', toolCallId: 'nope', inputTextDelta: '{' }),
      JSON.stringify({ type: 'tool-output-available', toolCallId: 'nope', output: 1 }),
      JSON.stringify({ type: 'text-start', id: 't' }),
      JSON.stringify({ type: 'text-delta', id: 't', delta: 'fine' }),
      JSON.stringify({ type: 'text-end', id: 't' }),
      JSON.stringify({ type: 'finish' }),
      '[DONE]',
    ];
    const played = play(session, frames.map((data) => `data: ${data}\n\n`).join(''));
    assert.deepEqual(
      played.errors.map((e) => e.code),
      ['malformed_json', 'out_of_order', 'out_of_order', 'out_of_order'],
    );
    const unknown = stateOf(played.events)
      .log.toArray()
      .find((e) => e.kind === 'event' && e.event.type === 'unknown');
    assert.equal(
      unknown?.kind === 'event' && unknown.event.type === 'unknown' && unknown.event.event_type,
      'something-new',
    );
    const state = stateOf(played.events);
    assert.deepEqual(textsOf(state.text), { u1: 'Deploy it', 'a1#0': 'fine' });
    assert.equal(state.status, 'done');
  });

  it('a cut stream resumes with GET {api}/{id}/stream; the replay is recognised and nothing is shown twice', async () => {
    const sse = await turn([user]);
    const whole = play(started(), sse);
    const session = started();
    const frames = sse.split(/(?<=\n\n)/);
    const before = play(session, frames.slice(0, 12).join(''), 'start', true);
    assert.equal(before.complete, false);
    const next = session.next();
    assert.deepEqual(next.type === 'request' && [next.origin, next.request.method, next.request.url.href], [
      'resume',
      'GET',
      'http://agent.test/api/chat/chat-1/stream',
    ]);
    const after = play(session, sse, 'resume');
    assert.deepEqual(
      [...before.events, ...after.events].map(({ at: _at, ...e }) => e),
      whole.events.map(({ at: _at, ...e }) => e),
      'the cut and the replay together equal the whole stream, once',
    );
  });

  it('no active stream (204): attaching ends quietly; after a cut it says the rest is lost', async () => {
    const fresh = sessionOf(aiSdk, 'chat-2');
    const first = fresh.next();
    assert.deepEqual(first.type === 'request' && [first.origin, first.request.url.href], [
      'attach',
      'http://agent.test/api/chat/chat-2/stream',
    ]);
    const told = fresh.noStream();
    assert.equal(told[0]?.type, 'log');
    assert.deepEqual(fresh.next(), { type: 'finished' });

    const session = started();
    play(
      session,
      (await turn([user]))
        .split(/(?<=\n\n)/)
        .slice(0, 5)
        .join(''),
      'start',
      true,
    );
    session.next();
    assert.deepEqual(session.noStream(), []);
    assert.equal(session.next().type, 'cannot_resume');
  });
});
