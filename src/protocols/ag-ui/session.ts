/**
 * One AG-UI thread as an agentwire run. Each AG-UI run is a POST of a RunAgentInput answered with
 * an event stream (`data:` frames) from RUN_STARTED to RUN_FINISHED or RUN_ERROR; a run that needs
 * a human ends with `RUN_FINISHED.outcome = {type: "interrupt", interrupts}`, and the next run of
 * the same thread carries the answers in `resume`. The store sees one continuous conversation.
 *
 * AG-UI events carry no sequence number and the protocol has no way to pick a cut stream up
 * again: a stream that breaks before its RUN_FINISHED is reported as such (`cannot_resume`).
 */
import { immutableJSONPatch, type JSONPatchDocument } from 'immutable-json-patch';
import {
  endpointUrl,
  ProtocolError,
  type DecodeResult,
  type NeedInputEvent,
  type RunEvent,
} from '../../protocol/index.ts';
import { createAnswerFlow } from '../shared/answers.ts';
import { APPROVAL_CHOICES, decisionOf, refusalOf } from '../shared/approval.ts';
import {
  count,
  FrameError,
  frameError,
  frameObject,
  isObject,
  jsonOrText,
  optNum,
  optObj,
  optStr,
  str,
  textOf,
  type JsonObject,
} from '../shared/json.ts';
import { createStamper, type Unstamped } from '../shared/stamp.ts';
import type {
  AnswerPlan,
  CancelPlan,
  NextStep,
  ProtocolAnswer,
  SessionContext,
  StartPlan,
  StreamFrame,
  StreamOrigin,
  StreamSession,
} from '../types.ts';
import { Conversation } from './messages.ts';

/** A tool call whose arguments are streaming. */
interface OpenCall {
  name: string;
  args: string;
  parent: string | undefined;
}

/** What an interrupt's answer is resumed with. */
interface InterruptRef {
  interruptId: string;
  approval: boolean;
}

const ROLE_OF: Readonly<Record<string, 'user' | 'assistant' | 'system'>> = {
  user: 'user',
  assistant: 'assistant',
  system: 'system',
  developer: 'system',
};

/** A fresh id (thread and run ids are the client's to choose in AG-UI). */
export function newId(): string {
  return crypto.randomUUID();
}

/** Open an AG-UI session. */
export function agUiSession(context: SessionContext): StreamSession {
  let threadId = context.runId;
  const stamper = createStamper(() => threadId, context.now);
  let input: JsonObject = {};
  let conversation = new Conversation(undefined);
  /** The AG-UI run being streamed (between RUN_STARTED and its end), else null. */
  let activeRun: string | null = null;
  let streamOpen = false;
  /** The last stream reached RUN_FINISHED or RUN_ERROR. */
  let streamComplete = false;
  let finished = false;
  let cut = false;
  let agentState: unknown = undefined;
  const messages = new Map<string, string>(); // open text messages: id → role
  const reasoning = new Set<string>();
  /** The message a TEXT_MESSAGE_CHUNK without messageId continues. */
  let lastChunkMessage: string | undefined;
  let lastChunkCall: string | undefined;
  const calls = new Map<string, OpenCall>();
  const activities = new Map<string, unknown>();
  const usage = { input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 };
  const interrupts = new Map<string, InterruptRef>();
  const answers = createAnswerFlow(stamper, {
    noun: 'interrupt',
    // An interrupt that is an approval takes a decision; others take any answer.
    unfit: (answer) => (interrupts.get(answer.request.resume_token)?.approval ? refusalOf(answer) : undefined),
    request: (set) => resumeRequest(set),
  });
  const { batch } = answers;

  const ev = (event: Unstamped, at?: string): DecodeResult<RunEvent> => ({ ok: true, value: stamper.stamp(event, at) });
  const outOfOrder = (message: string, data: string): DecodeResult<RunEvent> => ({
    ok: false,
    error: new ProtocolError('out_of_order', message, { excerpt: data.slice(0, 200) }),
  });

  const runUrl = (): URL => endpointUrl(context.baseUrl, context.paths.runs, threadId);

  /** The RunAgentInput of the next run: the thread, a new run id, the conversation, state, and resume entries. */
  const runInput = (resume?: readonly ProtocolAnswer[]): JsonObject => ({
    ...input,
    threadId,
    runId: newId(),
    messages: conversation.toArray(),
    tools: Array.isArray(input['tools']) ? input['tools'] : [],
    context: Array.isArray(input['context']) ? input['context'] : [],
    ...(agentState !== undefined && { state: agentState }),
    ...(resume && { resume: resume.map(resumeEntry) }),
  });

  const resumeEntry = (answer: ProtocolAnswer): JsonObject => {
    const ref = interrupts.get(answer.request.resume_token)!;
    if (!ref.approval) {
      return { interruptId: ref.interruptId, status: 'resolved', payload: answer.value ?? answer.text };
    }
    const decision = decisionOf(answer);
    return { interruptId: ref.interruptId, status: 'resolved', payload: 'refused' in decision ? {} : decision };
  };

  /** Close a streamed tool call: its complete `tool_call`. */
  const endCall = (id: string, at: string | undefined): DecodeResult<RunEvent> => {
    const call = calls.get(id)!;
    calls.delete(id);
    if (lastChunkCall === id) lastChunkCall = undefined;
    conversation.addToolCall(call.parent ?? `${id}:message`, { id, name: call.name, arguments: call.args });
    return ev(
      { type: 'tool_call', call_id: id, name: call.name, args: call.args === '' ? {} : jsonOrText(call.args) },
      at,
    );
  };

  /** A usage entry list (RUN_FINISHED / RUN_ERROR) added to the thread's totals. */
  const addUsage = (value: unknown, at: string | undefined): DecodeResult<RunEvent>[] => {
    if (!Array.isArray(value) || value.length === 0) return [];
    for (const entry of value) {
      if (!isObject(entry)) continue;
      usage.input_tokens += count(entry['inputTokens']) ?? 0;
      usage.output_tokens += count(entry['outputTokens']) ?? 0;
      usage.reasoning_tokens += count(entry['reasoningTokens']) ?? 0;
      usage.total_tokens +=
        count(entry['totalTokens']) ?? (count(entry['inputTokens']) ?? 0) + (count(entry['outputTokens']) ?? 0);
    }
    return [ev({ type: 'usage', ...usage }, at)];
  };

  /** A run ended: calls still streaming are closed; open messages are forgotten. */
  const endRun = (at: string | undefined): DecodeResult<RunEvent>[] => {
    const out = [...calls.keys()].map((id) => endCall(id, at));
    messages.clear();
    reasoning.clear();
    lastChunkMessage = undefined;
    activeRun = null;
    streamComplete = true;
    return out;
  };

  const interruptRequest = (interrupt: unknown, runId: string, at: string | undefined): DecodeResult<RunEvent> => {
    if (!isObject(interrupt)) throw new FrameError('invalid_field', 'an interrupt must be an object', 'outcome');
    const id = str(interrupt, 'id', { allowEmpty: false });
    const reason = str(interrupt, 'reason');
    const message = optStr(interrupt, 'message');
    const toolCallId = optStr(interrupt, 'toolCallId');
    const schema = optObj(interrupt, 'responseSchema');
    const expiresAt = optStr(interrupt, 'expiresAt');
    const approval = toolCallId !== undefined || /approv|confirm|permission/i.test(reason);
    const token = `${runId}:${id}`;
    const options: unknown = schema?.['enum'];
    const enumChoices =
      Array.isArray(options) && options.every((c): c is string => typeof c === 'string') ? options : undefined;
    const choices = approval ? [...APPROVAL_CHOICES] : enumChoices;
    interrupts.set(token, { interruptId: id, approval });
    const request = stamper.stamp(
      {
        type: 'need_input',
        prompt: message ?? reason,
        resume_token: token,
        kind: approval ? 'approval' : 'input',
        ...(toolCallId !== undefined && { tool_call_id: toolCallId }),
        ...(schema !== undefined && { response_schema: schema }),
        ...(expiresAt !== undefined &&
          !Number.isNaN(Date.parse(expiresAt)) && { expires_at: new Date(expiresAt).toISOString() }),
        ...(choices && { choices }),
      },
      at,
    ) as NeedInputEvent;
    batch.ask(request);
    return { ok: true, value: request };
  };

  /** Decode one AG-UI event. */
  const decode = (obj: JsonObject, type: string, data: string): DecodeResult<RunEvent>[] => {
    const timestamp = optNum(obj, 'timestamp');
    const at =
      timestamp !== undefined && Number.isFinite(new Date(timestamp).getTime())
        ? new Date(timestamp).toISOString()
        : undefined;
    if (activeRun === null && type !== 'RUN_STARTED' && type !== 'RUN_ERROR') {
      return [outOfOrder(`${type} before RUN_STARTED: a run's events come between RUN_STARTED and its end`, data)];
    }
    switch (type) {
      case 'RUN_STARTED': {
        const runId = str(obj, 'runId', { allowEmpty: false });
        if (activeRun !== null)
          return [outOfOrder(`RUN_STARTED for ${runId} while run ${activeRun} is still running`, data)];
        const thread = optStr(obj, 'threadId');
        if (thread !== undefined && thread !== threadId && stamper.last === 0) threadId = thread;
        activeRun = runId;
        streamComplete = false;
        return [ev({ type: 'status', state: 'running' }, at)];
      }
      case 'RUN_FINISHED': {
        const runId = activeRun!;
        const outcome = optObj(obj, 'outcome');
        const out = [...endRun(at), ...addUsage(obj['usage'], at)];
        const kind = outcome === undefined ? 'success' : str(outcome, 'type');
        if (kind === 'interrupt') {
          const list = outcome!['interrupts'];
          if (!Array.isArray(list) || list.length === 0)
            throw new FrameError(
              'invalid_field',
              'an interrupt outcome needs at least one interrupt',
              'outcome.interrupts',
            );
          for (const interrupt of list) out.push(interruptRequest(interrupt, runId, at));
          return out;
        }
        finished = true;
        batch.clear();
        if (kind === 'cancelled') return [...out, ev({ type: 'done', state: 'cancelled' }, at)];
        const pending = outcome?.['pendingToolCallIds'];
        if (Array.isArray(pending) && pending.length > 0)
          out.push(
            ev(
              {
                type: 'log',
                level: 'info',
                message: `the agent waits for frontend tool results: ${pending.map(String).join(', ')}`,
              },
              at,
            ),
          );
        return [
          ...out,
          ev({ type: 'done', state: 'completed', ...(obj['result'] !== undefined && { result: obj['result'] }) }, at),
        ];
      }
      case 'RUN_ERROR': {
        const message = str(obj, 'message');
        const code = optStr(obj, 'code');
        const out = [...endRun(at), ...addUsage(obj['usage'], at)];
        finished = true;
        batch.clear();
        return [
          ...out,
          ev({ type: 'error', message, ...(code !== undefined && { code }) }, at),
          ev({ type: 'done', state: 'failed' }, at),
        ];
      }
      case 'STEP_STARTED':
      case 'STEP_FINISHED':
        return [
          ev({ type: 'step', name: str(obj, 'stepName'), state: type === 'STEP_STARTED' ? 'started' : 'finished' }, at),
        ];
      case 'TEXT_MESSAGE_START': {
        const id = str(obj, 'messageId', { allowEmpty: false });
        if (messages.has(id)) return [outOfOrder(`TEXT_MESSAGE_START for message ${id}, which is already open`, data)];
        const role = ROLE_OF[optStr(obj, 'role') ?? 'assistant'];
        if (role === undefined)
          throw new FrameError('invalid_field', 'field "role" must be developer, system, assistant or user', 'role');
        messages.set(id, role);
        return [ev({ type: 'message', message_id: id, role }, at)];
      }
      case 'TEXT_MESSAGE_CONTENT': {
        const id = str(obj, 'messageId', { allowEmpty: false });
        const delta = str(obj, 'delta');
        if (!messages.has(id))
          return [outOfOrder(`TEXT_MESSAGE_CONTENT for message ${id}, which was never started`, data)];
        conversation.appendText(id, messages.get(id)!, delta);
        return delta === '' ? [] : [ev({ type: 'token', content: delta, message_id: id }, at)];
      }
      case 'TEXT_MESSAGE_END': {
        const id = str(obj, 'messageId', { allowEmpty: false });
        if (!messages.delete(id)) return [outOfOrder(`TEXT_MESSAGE_END for message ${id}, which is not open`, data)];
        return [];
      }
      case 'TEXT_MESSAGE_CHUNK': {
        const id = optStr(obj, 'messageId') ?? lastChunkMessage;
        if (id === undefined)
          return [outOfOrder('TEXT_MESSAGE_CHUNK without messageId and no message to continue', data)];
        const out: DecodeResult<RunEvent>[] = [];
        if (!messages.has(id)) {
          const role = ROLE_OF[optStr(obj, 'role') ?? 'assistant'] ?? 'assistant';
          messages.set(id, role);
          out.push(ev({ type: 'message', message_id: id, role }, at));
        }
        lastChunkMessage = id;
        const delta = optStr(obj, 'delta') ?? '';
        conversation.appendText(id, messages.get(id)!, delta);
        if (delta !== '') out.push(ev({ type: 'token', content: delta, message_id: id }, at));
        return out;
      }
      case 'TOOL_CALL_START': {
        const id = str(obj, 'toolCallId', { allowEmpty: false });
        if (calls.has(id)) return [outOfOrder(`TOOL_CALL_START for call ${id}, which is already open`, data)];
        const name = str(obj, 'toolCallName');
        calls.set(id, { name, args: '', parent: optStr(obj, 'parentMessageId') });
        return [ev({ type: 'tool_call_delta', call_id: id, name, delta: '' }, at)];
      }
      case 'TOOL_CALL_ARGS': {
        const id = str(obj, 'toolCallId', { allowEmpty: false });
        const delta = str(obj, 'delta');
        const call = calls.get(id);
        if (!call) return [outOfOrder(`TOOL_CALL_ARGS for call ${id}, which was never started`, data)];
        call.args += delta;
        return [ev({ type: 'tool_call_delta', call_id: id, delta }, at)];
      }
      case 'TOOL_CALL_END': {
        const id = str(obj, 'toolCallId', { allowEmpty: false });
        if (!calls.has(id)) return [outOfOrder(`TOOL_CALL_END for call ${id}, which is not open`, data)];
        return [endCall(id, at)];
      }
      case 'TOOL_CALL_CHUNK': {
        const id = optStr(obj, 'toolCallId') ?? lastChunkCall;
        if (id === undefined) return [outOfOrder('TOOL_CALL_CHUNK without toolCallId and no call to continue', data)];
        const delta = optStr(obj, 'delta') ?? '';
        const out: DecodeResult<RunEvent>[] = [];
        let call = calls.get(id);
        if (!call) {
          const name = str(obj, 'toolCallName');
          call = { name, args: '', parent: optStr(obj, 'parentMessageId') };
          calls.set(id, call);
          out.push(ev({ type: 'tool_call_delta', call_id: id, name, delta: '' }, at));
        }
        lastChunkCall = id;
        call.args += delta;
        if (delta !== '') out.push(ev({ type: 'tool_call_delta', call_id: id, delta }, at));
        return out;
      }
      case 'TOOL_CALL_RESULT': {
        const id = str(obj, 'toolCallId', { allowEmpty: false });
        const messageId = str(obj, 'messageId', { allowEmpty: false });
        const content = obj['content'];
        if (typeof content !== 'string' && !Array.isArray(content))
          throw new FrameError('invalid_field', 'field "content" must be a string or an array of parts', 'content');
        const out = calls.has(id) ? [endCall(id, at)] : [];
        const summary = typeof content === 'string' ? content : partsText(content);
        conversation.put({ id: messageId, role: 'tool', toolCallId: id, content });
        out.push(
          ev(
            {
              type: 'tool_result',
              call_id: id,
              summary,
              ok: true,
              result: typeof content === 'string' ? jsonOrText(content) : content,
            },
            at,
          ),
        );
        return out;
      }
      case 'REASONING_START':
        return [];
      case 'REASONING_MESSAGE_START': {
        const id = str(obj, 'messageId', { allowEmpty: false });
        if (reasoning.has(id)) return [outOfOrder(`REASONING_MESSAGE_START for ${id}, which is already open`, data)];
        reasoning.add(id);
        return [];
      }
      case 'REASONING_MESSAGE_CONTENT': {
        const id = str(obj, 'messageId', { allowEmpty: false });
        const delta = str(obj, 'delta');
        if (!reasoning.has(id))
          return [outOfOrder(`REASONING_MESSAGE_CONTENT for ${id}, which was never started`, data)];
        return delta === '' ? [] : [ev({ type: 'reasoning', content: delta, message_id: id }, at)];
      }
      case 'REASONING_MESSAGE_END': {
        const id = str(obj, 'messageId', { allowEmpty: false });
        if (!reasoning.delete(id)) return [outOfOrder(`REASONING_MESSAGE_END for ${id}, which is not open`, data)];
        return [];
      }
      case 'REASONING_MESSAGE_CHUNK': {
        const id = optStr(obj, 'messageId') ?? [...reasoning].at(-1);
        if (id === undefined)
          return [outOfOrder('REASONING_MESSAGE_CHUNK without messageId and no reasoning to continue', data)];
        reasoning.add(id);
        const delta = optStr(obj, 'delta') ?? '';
        return delta === '' ? [] : [ev({ type: 'reasoning', content: delta, message_id: id }, at)];
      }
      case 'REASONING_END':
        str(obj, 'messageId');
        return [];
      case 'REASONING_ENCRYPTED_VALUE':
        return [
          ev(
            {
              type: 'log',
              level: 'debug',
              message: `encrypted reasoning for ${str(obj, 'entityId')} (kept by the agent)`,
            },
            at,
          ),
        ];
      case 'STATE_SNAPSHOT':
        agentState = obj['snapshot'] ?? null;
        return [ev({ type: 'agent_state', state: agentState }, at)];
      case 'STATE_DELTA': {
        const delta = obj['delta'];
        if (!Array.isArray(delta))
          throw new FrameError('invalid_field', 'field "delta" must be a JSON Patch (an array)', 'delta');
        agentState = patched(agentState ?? {}, delta, 'STATE_DELTA');
        return [ev({ type: 'agent_state', state: agentState }, at)];
      }
      case 'MESSAGES_SNAPSHOT':
        return snapshotMessages(obj, at);
      case 'ACTIVITY_SNAPSHOT':
      case 'ACTIVITY_DELTA': {
        const id = str(obj, 'messageId', { allowEmpty: false });
        const activityType = str(obj, 'activityType');
        let content: unknown;
        if (type === 'ACTIVITY_SNAPSHOT') {
          const given = optObj(obj, 'content');
          content = obj['replace'] === false && activities.has(id) ? activities.get(id) : (given ?? {});
        } else {
          const patch = obj['patch'];
          if (!Array.isArray(patch))
            throw new FrameError('invalid_field', 'field "patch" must be a JSON Patch (an array)', 'patch');
          if (!activities.has(id)) return [outOfOrder(`ACTIVITY_DELTA for ${id} before its ACTIVITY_SNAPSHOT`, data)];
          content = patched(activities.get(id), patch, 'ACTIVITY_DELTA');
        }
        activities.set(id, content);
        return [ev({ type: 'log', level: 'info', message: `${activityType}: ${textOf(content)}` }, at)];
      }
      case 'SUBAGENT_STARTED':
        return [ev({ type: 'step', name: `subagent ${str(obj, 'name')}`, state: 'started' }, at)];
      case 'SUBAGENT_FINISHED':
        return [ev({ type: 'step', name: `subagent ${str(obj, 'subagentRunId')}`, state: 'finished' }, at)];
      case 'SUBAGENT_ERROR':
        return [
          ev(
            {
              type: 'error',
              message: `subagent ${str(obj, 'subagentRunId')}: ${str(obj, 'message')}`,
              retryable: true,
            },
            at,
          ),
        ];
      default:
        // RAW, CUSTOM and types this version does not know: kept, shown raw.
        return [
          ev(
            {
              type: 'unknown',
              event_type: type === 'CUSTOM' ? `CUSTOM ${optStr(obj, 'name') ?? ''}`.trim() : type,
              data: obj,
            },
            at,
          ),
        ];
    }
  };

  /** MESSAGES_SNAPSHOT: messages not shown yet are added; those already shown stay as they streamed. */
  const snapshotMessages = (obj: JsonObject, at: string | undefined): DecodeResult<RunEvent>[] => {
    const list = obj['messages'];
    if (!Array.isArray(list)) throw new FrameError('invalid_field', 'field "messages" must be an array', 'messages');
    const out: DecodeResult<RunEvent>[] = [];
    for (const m of list) {
      if (!isObject(m) || typeof m['id'] !== 'string' || typeof m['role'] !== 'string') continue;
      const id = m['id'];
      if (conversation.has(id)) {
        conversation.put({ ...(m as { id: string; role: string }) });
        continue;
      }
      conversation.put({ ...(m as { id: string; role: string }) });
      const content = m['content'];
      const text = typeof content === 'string' ? content : Array.isArray(content) ? partsText(content) : '';
      const role = ROLE_OF[m['role']];
      if (role !== undefined) {
        out.push(ev({ type: 'message', message_id: id, role, ...(text !== '' && { content: text }) }, at));
        const toolCalls = m['toolCalls'];
        if (Array.isArray(toolCalls))
          for (const call of toolCalls as unknown[]) {
            if (!isObject(call)) continue;
            const fn = isObject(call['function']) ? call['function'] : undefined;
            const callId = call['id'];
            if (!fn || typeof callId !== 'string') continue;
            const args = typeof fn['arguments'] === 'string' ? fn['arguments'] : '';
            out.push(
              ev(
                {
                  type: 'tool_call',
                  call_id: callId,
                  name: textOf(fn['name']),
                  args: args === '' ? {} : jsonOrText(args),
                },
                at,
              ),
            );
          }
      } else if (m['role'] === 'tool' && typeof m['toolCallId'] === 'string') {
        const error = typeof m['error'] === 'string' ? m['error'] : undefined;
        out.push(
          ev(
            {
              type: 'tool_result',
              call_id: m['toolCallId'],
              summary: error ?? text,
              ok: error === undefined,
              result: content,
            },
            at,
          ),
        );
      } else if (m['role'] === 'reasoning' && text !== '') {
        out.push(ev({ type: 'reasoning', content: text, message_id: id }, at));
      }
    }
    return out;
  };

  return {
    get runId() {
      return threadId;
    },
    start(body) {
      input = isObject(body) ? { ...body } : {};
      const given = typeof input['threadId'] === 'string' && input['threadId'] !== '' ? input['threadId'] : undefined;
      threadId = given ?? (context.runId !== '' ? context.runId : newId());
      conversation = new Conversation(input['messages']);
      if (input['state'] !== undefined) agentState = input['state'];
      const plan: StartPlan = {
        request: { method: 'POST', url: runUrl(), json: runInput(), headers: ACCEPT },
        runId: threadId,
      };
      return plan;
    },
    open(origin: StreamOrigin) {
      streamOpen = true;
      cut = false;
      if (origin !== 'attach') streamComplete = false;
    },
    frame(frame: StreamFrame) {
      if (!streamOpen) return [];
      let obj: JsonObject;
      try {
        obj = frameObject(frame.data);
      } catch (error) {
        return [{ ok: false, error: frameError(error, frame.data, undefined) }];
      }
      const type = typeof obj['type'] === 'string' && obj['type'] !== '' ? obj['type'] : undefined;
      if (type === undefined)
        return [
          {
            ok: false,
            error: new ProtocolError('missing_type', 'an AG-UI event needs a "type"', {
              field: 'type',
              excerpt: frame.data.slice(0, 200),
            }),
          },
        ];
      try {
        return decode(obj, type, frame.data);
      } catch (error) {
        return [{ ok: false, error: frameError(error, frame.data, type) }];
      }
    },
    close() {
      streamOpen = false;
      if (!streamComplete && !finished) {
        cut = true;
        activeRun = null;
      }
      return streamComplete;
    },
    noStream: () => [],
    next(): NextStep {
      if (finished) return { type: 'finished' };
      if (cut)
        return {
          type: 'cannot_resume',
          message:
            'the AG-UI stream was cut before its RUN_FINISHED, and AG-UI cannot resume a run (its events carry no position to resume from): start a new run',
        };
      const waiting = answers.takeWaiting();
      if (waiting) return { type: 'request', origin: 'continue', request: resumeRequest(waiting), answers: waiting };
      if (stamper.last === 0)
        return {
          type: 'cannot_resume',
          message:
            'an AG-UI run cannot be joined once started: it is streamed only to the request that started it (use startRun)',
        };
      return { type: 'wait' };
    },
    answer(answer): AnswerPlan {
      return answers.plan(answer, streamOpen);
    },
    answered(sent) {
      // Answers held earlier were confirmed when taken; the one that completed the set is confirmed now.
      return answers.answered(sent);
    },
    unsent(sent) {
      answers.unsent(sent);
    },
    cancel(): CancelPlan {
      // AG-UI has no cancel request: a client stops a run by dropping its stream (the transport does).
      return {
        request: null,
        confirm: () => {
          if (finished) return [];
          finished = true;
          batch.clear();
          return [stamper.stamp({ type: 'done', state: 'cancelled', finish_reason: 'stopped by the client' })];
        },
      };
    },
  };

  function resumeRequest(answers: readonly ProtocolAnswer[]) {
    return { method: 'POST' as const, url: runUrl(), json: runInput(answers), headers: ACCEPT };
  }
}

/** The text parts of AG-UI content parts, joined. */
function partsText(parts: readonly unknown[]): string {
  return parts
    .map((p) => (isObject(p) && p['type'] === 'text' && typeof p['text'] === 'string' ? p['text'] : ''))
    .join('');
}

/** Apply a JSON Patch without touching the original; a patch that does not apply is a FrameError (the state stays). */
function patched(document: unknown, patch: unknown[], what: string): unknown {
  try {
    return immutableJSONPatch(document, patch as JSONPatchDocument);
  } catch (error) {
    throw new FrameError(
      'invalid_field',
      `${what} does not apply: ${error instanceof Error ? error.message : String(error)}`,
      'delta',
    );
  }
}

const ACCEPT = { Accept: 'text/event-stream' } as const;
