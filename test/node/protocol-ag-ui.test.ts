/**
 * AG-UI decoding, against AG-UI's own packages: every stream here is built from `@ag-ui/core`
 * events (checked with its EventSchema) and framed by `@ag-ui/encoder`'s EventEncoder; every
 * request the session builds is checked with `@ag-ui/core`'s RunAgentInputSchema.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventType, type AGUIEvent } from '@ag-ui/core';
import { EventSchema, RunAgentInputSchema } from '@ag-ui/core/schemas';
import { EventEncoder } from '@ag-ui/encoder';
import type { NeedInputEvent } from '../../src/protocol/index.ts';
import { agUi } from '../../src/protocols/ag-ui/index.ts';
import type { ProtocolRequest, StreamSession } from '../../src/protocols/types.ts';
import { ofType, play, seqs, sessionOf, stateOf, textsOf } from '../shared/protocol-harness.ts';

const encoder = new EventEncoder();
/** SSE text of these events, each validated by AG-UI's own schema first. */
const sse = (...events: AGUIEvent[]): string => events.map((e) => encoder.encodeSSE(EventSchema.parse(e))).join('');

const THREAD = 'thread-1';
const started = (runId = 'run-1'): AGUIEvent => ({ type: EventType.RUN_STARTED, threadId: THREAD, runId });
const finished = (runId = 'run-1', extra: Partial<AGUIEvent> = {}): AGUIEvent =>
  ({ type: EventType.RUN_FINISHED, threadId: THREAD, runId, ...extra }) as AGUIEvent;

/** A session that started the thread (its start request checked with RunAgentInputSchema). */
function startedSession(): StreamSession {
  const session = sessionOf(agUi);
  const plan = session.start({ threadId: THREAD, messages: [{ id: 'u1', role: 'user', content: 'Deploy it' }] });
  assert.equal(plan.runId, THREAD);
  assert.equal(plan.request.method, 'POST');
  assert.ok(RunAgentInputSchema.safeParse(plan.request.json).success, 'the start is a valid RunAgentInput');
  return session;
}

const bodyOf = (request: ProtocolRequest): { resume?: unknown[]; threadId: string; messages: unknown[] } =>
  request.json as { resume?: unknown[]; threadId: string; messages: unknown[] };

describe('AG-UI: a run decodes into the store events', () => {
  it('text by messageId, reasoning, a tool call with streamed arguments and its result, steps, state, usage', () => {
    const session = startedSession();
    const played = play(
      session,
      sse(
        started(),
        { type: EventType.STATE_SNAPSHOT, snapshot: { plan: ['check'], done: [] } },
        { type: EventType.STEP_STARTED, stepName: 'plan' },
        { type: EventType.REASONING_START, messageId: 'r1' },
        { type: EventType.REASONING_MESSAGE_START, messageId: 'r1', role: 'reasoning' },
        { type: EventType.REASONING_MESSAGE_CONTENT, messageId: 'r1', delta: 'Think ' },
        { type: EventType.REASONING_MESSAGE_CONTENT, messageId: 'r1', delta: 'first.' },
        { type: EventType.REASONING_MESSAGE_END, messageId: 'r1' },
        { type: EventType.REASONING_END, messageId: 'r1' },
        { type: EventType.TEXT_MESSAGE_START, messageId: 'm1', role: 'assistant' },
        { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm1', delta: 'Checking ' },
        { type: EventType.TOOL_CALL_START, toolCallId: 'c1', toolCallName: 'check_build', parentMessageId: 'm1' },
        { type: EventType.TOOL_CALL_ARGS, toolCallId: 'c1', delta: '{"branch":' },
        // Text and tool events interleave: legal in AG-UI.
        { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm1', delta: 'the build.' },
        { type: EventType.TOOL_CALL_ARGS, toolCallId: 'c1', delta: '"main"}' },
        { type: EventType.TOOL_CALL_END, toolCallId: 'c1' },
        { type: EventType.TOOL_CALL_RESULT, messageId: 'tr1', toolCallId: 'c1', content: '{"status":"passed"}' },
        { type: EventType.TEXT_MESSAGE_END, messageId: 'm1' },
        { type: EventType.STATE_DELTA, delta: [{ op: 'add', path: '/done/-', value: 'check' }] },
        { type: EventType.STEP_FINISHED, stepName: 'plan' },
        finished('run-1', {
          outcome: { type: 'success' },
          result: { ok: true },
          usage: [{ inputTokens: 10, outputTokens: 5, totalTokens: 15, reasoningTokens: 2 }],
        }),
      ),
    );
    assert.deepEqual(played.errors, []);
    assert.equal(played.complete, true);
    assert.deepEqual(
      seqs(played.events),
      played.events.map((_, i) => i + 1),
      'gapless seqs from 1',
    );
    assert.ok(played.events.every((e) => e.run_id === THREAD && typeof e.at === 'string'));
    const state = stateOf(played.events);
    assert.deepEqual(textsOf(state.text), { m1: 'Checking the build.' });
    assert.deepEqual(textsOf(state.reasoning), { r1: 'Think first.' });
    assert.equal(state.roles.get('m1'), 'assistant');
    const deltas = played.events.filter((e) => e.type === 'tool_call_delta').map((e) => e.delta);
    assert.deepEqual(deltas, ['', '{"branch":', '"main"}'], 'arguments shown as they arrive');
    const call = played.events.find((e) => e.type === 'tool_call');
    assert.deepEqual(call && { name: call.name, args: call.args }, { name: 'check_build', args: { branch: 'main' } });
    assert.deepEqual(state.toolResults.get('c1')?.result, { status: 'passed' });
    assert.deepEqual(
      played.events.filter((e) => e.type === 'step').map((e) => `${e.name}:${e.state}`),
      ['plan:started', 'plan:finished'],
    );
    assert.deepEqual(state.agentState, { plan: ['check'], done: ['check'] });
    assert.deepEqual(state.usage, { input_tokens: 10, output_tokens: 5, reasoning_tokens: 2, total_tokens: 15 });
    assert.equal(state.status, 'done');
    assert.deepEqual(state.result?.result, { ok: true });
    assert.deepEqual(session.next(), { type: 'finished' });
  });

  it('TEXT_MESSAGE_CHUNK and TOOL_CALL_CHUNK stand for start, content and end', () => {
    const session = startedSession();
    const played = play(
      session,
      sse(
        started(),
        { type: EventType.TEXT_MESSAGE_CHUNK, messageId: 'm1', role: 'assistant', delta: 'Hel' },
        { type: EventType.TEXT_MESSAGE_CHUNK, delta: 'lo' },
        { type: EventType.TOOL_CALL_CHUNK, toolCallId: 'c1', toolCallName: 'lookup', delta: '{"q":' },
        { type: EventType.TOOL_CALL_CHUNK, delta: '1}' },
        finished(),
      ),
    );
    assert.deepEqual(played.errors, []);
    const state = stateOf(played.events);
    assert.deepEqual(textsOf(state.text), { m1: 'Hello' });
    const call = played.events.find((e) => e.type === 'tool_call');
    assert.deepEqual(
      call?.type === 'tool_call' && call.args,
      { q: 1 },
      'an open chunked call is completed at RUN_FINISHED',
    );
  });

  it('RUN_ERROR: an error and a failed run; RUN_FINISHED cancelled: a cancelled run', () => {
    const failing = startedSession();
    const failed = stateOf(
      play(failing, sse(started(), { type: EventType.RUN_ERROR, message: 'provider down', code: 'unavailable' }))
        .events,
    );
    assert.equal(failed.status, 'failed');
    const error = failed.log.toArray().find((e) => e.kind === 'event' && e.event.type === 'error');
    assert.deepEqual(
      error?.kind === 'event' && error.event.type === 'error' && [error.event.message, error.event.code],
      ['provider down', 'unavailable'],
    );
    const stopped = stateOf(
      play(startedSession(), sse(started(), finished('run-1', { outcome: { type: 'cancelled' } }))).events,
    );
    assert.equal(stopped.status, 'cancelled');
  });

  it('MESSAGES_SNAPSHOT adds what was not shown; ACTIVITY_* and RAW / CUSTOM are kept in the log', () => {
    const session = startedSession();
    const played = play(
      session,
      sse(
        started(),
        {
          type: EventType.MESSAGES_SNAPSHOT,
          messages: [
            { id: 'u1', role: 'user', content: 'Deploy it' },
            {
              id: 'a0',
              role: 'assistant',
              content: 'Earlier answer.',
              toolCalls: [{ id: 'c0', type: 'function', function: { name: 'ls', arguments: '{}' } }],
            },
            { id: 't0', role: 'tool', toolCallId: 'c0', content: 'a b c' },
          ],
        },
        { type: EventType.ACTIVITY_SNAPSHOT, messageId: 'act1', activityType: 'search', content: { query: 'ag-ui' } },
        {
          type: EventType.ACTIVITY_DELTA,
          messageId: 'act1',
          activityType: 'search',
          patch: [{ op: 'add', path: '/hits', value: 3 }],
        },
        { type: EventType.CUSTOM, name: 'hint', value: { x: 1 } },
        { type: EventType.RAW, event: { vendor: 'acme' }, source: 'acme' },
        finished(),
      ),
    );
    assert.deepEqual(played.errors, []);
    const state = stateOf(played.events);
    assert.deepEqual(
      textsOf(state.text),
      { a0: 'Earlier answer.' },
      'the user message was known (sent at start); the assistant one is added',
    );
    assert.equal(state.toolResults.get('c0')?.summary, 'a b c');
    const logged = state.log.toArray().flatMap((e) => (e.kind === 'event' ? [e.event] : []));
    assert.deepEqual(
      ofType(logged, 'log').map((e) => e.message),
      ['search: {"query":"ag-ui"}', 'search: {"query":"ag-ui","hits":3}'],
    );
    assert.deepEqual(
      ofType(logged, 'unknown').map((e) => e.event_type),
      ['CUSTOM hint', 'RAW'],
    );
  });
});

describe('AG-UI: interrupts, answered with the next run of the thread', () => {
  const interrupted = (session: StreamSession, interrupts: object[]): NeedInputEvent[] => {
    const played = play(
      session,
      sse(
        started(),
        { type: EventType.TOOL_CALL_START, toolCallId: 'call-deploy', toolCallName: 'deploy' },
        { type: EventType.TOOL_CALL_ARGS, toolCallId: 'call-deploy', delta: '{"env":"prod"}' },
        { type: EventType.TOOL_CALL_END, toolCallId: 'call-deploy' },
        finished('run-1', { outcome: { type: 'interrupt', interrupts } } as Partial<AGUIEvent>),
      ),
    );
    assert.deepEqual(played.errors, []);
    assert.equal(played.complete, true);
    assert.deepEqual(session.next(), { type: 'wait' }, 'nothing to read until an answer');
    return played.events.filter((e): e is NeedInputEvent => e.type === 'need_input');
  };

  it('RUN_FINISHED with an interrupt outcome: one pending request per interrupt, with its fields', () => {
    const session = startedSession();
    const expires = '2030-01-01T00:00:00.000Z';
    const [approval, question] = interrupted(session, [
      { id: 'i1', reason: 'tool_approval', message: 'Deploy?', toolCallId: 'call-deploy', expiresAt: expires },
      {
        id: 'i2',
        reason: 'input_required',
        message: 'Region?',
        responseSchema: { type: 'string', enum: ['eu', 'us'] },
      },
    ]);
    assert.deepEqual(
      {
        prompt: approval!.prompt,
        kind: approval!.kind,
        tool: approval!.tool_call_id,
        expires: approval!.expires_at,
        choices: approval!.choices,
      },
      { prompt: 'Deploy?', kind: 'approval', tool: 'call-deploy', expires: expires, choices: ['Approve', 'Deny'] },
    );
    assert.deepEqual(
      { prompt: question!.prompt, kind: question!.kind, choices: question!.choices, schema: question!.response_schema },
      { prompt: 'Region?', kind: 'input', choices: ['eu', 'us'], schema: { type: 'string', enum: ['eu', 'us'] } },
    );
  });

  it('every interrupt answered on its own; the resume goes once all have answers, then refuses a second answer', () => {
    const session = startedSession();
    const [approval, question] = interrupted(session, [
      { id: 'i1', reason: 'tool_approval', message: 'Deploy?', toolCallId: 'call-deploy' },
      { id: 'i2', reason: 'input_required', message: 'Region?' },
    ]);
    const first = session.answer({ request: approval!, text: 'Approve', value: { approved: true, reason: 'go' } });
    assert.equal(first.type, 'held');
    assert.deepEqual(
      first.events.map((e) => e.type),
      ['input_accepted'],
    );
    const again = session.answer({ request: approval!, text: 'Deny' });
    assert.deepEqual(again, { type: 'refused', message: 'the interrupt "Deploy?" was already answered' });
    const second = session.answer({ request: question!, text: 'eu' });
    assert.equal(second.type, 'send');
    const body = bodyOf(second.request);
    assert.ok(RunAgentInputSchema.safeParse(body).success, 'the resume is a valid RunAgentInput');
    assert.equal(body.threadId, THREAD);
    assert.deepEqual(body.resume, [
      { interruptId: 'i1', status: 'resolved', payload: { approved: true, reason: 'go' } },
      { interruptId: 'i2', status: 'resolved', payload: 'eu' },
    ]);
    assert.ok(
      (body.messages as { id: string }[]).some((m) => m.id === 'u1'),
      'the conversation goes back with the resume',
    );
    assert.deepEqual(session.answer({ request: question!, text: 'us' }), {
      type: 'refused',
      message: 'the answer to this interrupt is already on its way',
    });
    const accepted = session.answered(second.answers);
    assert.deepEqual(
      accepted.map((e) => e.type === 'input_accepted' && e.resume_token),
      [question!.resume_token],
    );
    assert.equal(session.answer({ request: question!, text: 'us' }).type, 'refused', 'answered twice: refused');

    // The next run continues the thread: the elements keep one conversation (seq goes on).
    const resumed = play(
      session,
      sse(
        started('run-2'),
        { type: EventType.TOOL_CALL_RESULT, messageId: 'tr', toolCallId: 'call-deploy', content: 'deployed' },
        finished('run-2', { outcome: { type: 'success' } }),
      ),
      'continue',
    );
    assert.deepEqual(resumed.errors, []);
    assert.ok(resumed.events[0]!.seq! > accepted[0]!.seq!);
  });

  it('a denial by text, an unusable answer refused, and a failed resume lets the answer be given again', () => {
    const session = startedSession();
    const [approval] = interrupted(session, [{ id: 'i1', reason: 'tool_approval', message: 'Deploy?' }]);
    assert.deepEqual(session.answer({ request: approval!, text: 'maybe' }).type, 'refused');
    const plan = session.answer({ request: approval!, text: 'Deny' });
    assert.equal(plan.type, 'send');
    assert.deepEqual(bodyOf(plan.request).resume, [
      { interruptId: 'i1', status: 'resolved', payload: { approved: false } },
    ]);
    session.unsent(plan.answers);
    assert.equal(session.answer({ request: approval!, text: 'Approve' }).type, 'send');
  });
});

describe('AG-UI: bad input and cuts', () => {
  it('unknown types kept raw; malformed JSON and broken ordering become typed errors; the stream goes on', () => {
    const session = startedSession();
    const frames =
      sse(started()) +
      `data: ${JSON.stringify({ type: 'SOMETHING_NEW', x: 1 })}\n\n` +
      'data: {not json\n\n' +
      `data: ${JSON.stringify({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'ghost', delta: 'boo' })}\n\n` +
      `data: ${JSON.stringify({ type: 'TOOL_CALL_ARGS', toolCallId: 'nope', delta: '{' })}\n\n` +
      `data: ${JSON.stringify({ type: 'STATE_DELTA', delta: [{ op: 'add', path: '/missing/deep', value: 1 }] })}\n\n` +
      `data: ${JSON.stringify({ type: 'TEXT_MESSAGE_START' })}\n\n` +
      `data: ${JSON.stringify({ noType: true })}\n\n` +
      sse(
        { type: EventType.TEXT_MESSAGE_START, messageId: 'm1' },
        { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm1', delta: 'still here' },
        { type: EventType.TEXT_MESSAGE_END, messageId: 'm1' },
        finished(),
      );
    const played = play(session, frames);
    assert.deepEqual(
      played.errors.map((e) => e.code),
      ['malformed_json', 'out_of_order', 'out_of_order', 'invalid_field', 'invalid_field', 'missing_type'],
    );
    assert.match(played.errors[1]!.message, /TEXT_MESSAGE_CONTENT for message ghost, which was never started/);
    const state = stateOf(played.events);
    assert.deepEqual(textsOf(state.text), { m1: 'still here' });
    const unknown = state.log.toArray().find((e) => e.kind === 'event' && e.event.type === 'unknown');
    assert.deepEqual(unknown?.kind === 'event' && unknown.event.type === 'unknown' && unknown.event.data, {
      type: 'SOMETHING_NEW',
      x: 1,
    });
    assert.equal(state.status, 'done');
  });

  it('events before RUN_STARTED and a second RUN_STARTED are refused', () => {
    const session = startedSession();
    const played = play(
      session,
      sse({ type: EventType.TEXT_MESSAGE_START, messageId: 'm0' }, started(), started('run-x'), finished()),
    );
    assert.deepEqual(
      played.errors.map((e) => e.code),
      ['out_of_order', 'out_of_order'],
    );
  });

  it('a stream cut before RUN_FINISHED cannot be resumed, and says so', () => {
    const session = startedSession();
    const played = play(
      session,
      sse(started(), { type: EventType.TEXT_MESSAGE_START, messageId: 'm1' }),
      'start',
      true,
    );
    assert.equal(played.complete, false);
    const next = session.next();
    assert.equal(next.type, 'cannot_resume');
    assert.match(next.message, /AG-UI cannot resume a run/);
  });

  it('joining a thread (no start) is refused with the reason', () => {
    const next = sessionOf(agUi, 'thread-9').next();
    assert.equal(next.type, 'cannot_resume');
  });
});
