/**
 * One AI SDK chat turn as an agentwire run: the UI message stream (`x-vercel-ai-ui-message-stream:
 * v1`, SSE `data:` frames ending with `data: [DONE]`) of `POST {api}` with `{id, messages,
 * trigger, messageId}`, as `useChat`'s DefaultChatTransport sends it. A `tool-approval-request`
 * opens a request; its answer goes back the way the AI SDK client sends it — the assistant message
 * with the tool part set to `approval-responded` (`approved`, `reason`) in the next request's
 * messages — and the run goes on in that request's stream.
 *
 * Resume: the AI SDK's `GET {api}/{id}/stream`, which replays the active stream from its start
 * (`resumeStreamIsReplay`); the frames already read are recognised by position and skipped.
 */
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
  optBool,
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
  ProtocolRequest,
  SessionContext,
  StreamOrigin,
  StreamSession,
} from '../types.ts';
import { AssistantMessage } from './message.ts';

/** Options of the AI SDK protocol. */
export interface AiSdkOptions {
  /**
   * The resume endpoint replays the active stream from its start (the AI SDK's default,
   * `resumeStreamIsReplay: true`), so frames already read are skipped. False for a server that
   * resumes where the client left off.
   */
  resumeIsReplay?: boolean;
}

/** Open an AI SDK session. */
export function aiSdkSession(context: SessionContext, options: AiSdkOptions = {}): StreamSession {
  const replay = options.resumeIsReplay ?? true;
  let chatId = context.runId;
  const stamper = createStamper(() => chatId, context.now);
  let body: JsonObject = {};
  let history: unknown[] = [];
  const assistant = new AssistantMessage();
  let step = 0;
  let streamOpen = false;
  /** What the last request of `next()` asked for (a 204 answers it). */
  let requested: StreamOrigin = 'start';
  /** Frames read from the current stream (a replay skips as many). */
  let framesRead = 0;
  let skip = 0;
  let complete = false;
  let cut = false;
  let finished = false;
  let lost = false;
  let started = false;
  const names = new Map<string, string>(); // toolCallId → tool name
  const answers = createAnswerFlow(stamper, {
    noun: 'approval',
    unfit: refusalOf,
    request: (set) => sendRequest(set),
  });
  const { batch } = answers;
  /** The user's messages of the start, emitted with the first frame. */
  let pendingShown: DecodeResult<RunEvent>[] = [];

  const ev = (event: Unstamped): DecodeResult<RunEvent> => ({ ok: true, value: stamper.stamp(event) });
  const outOfOrder = (message: string, data: string): DecodeResult<RunEvent> => ({
    ok: false,
    error: new ProtocolError('out_of_order', message, { excerpt: data.slice(0, 200) }),
  });
  /** The store's message for the current step's text and reasoning (a reset-step drops it). */
  const stepMessage = (): string => `${assistant.id || chatId}#${step}`;
  const url = (template: string): URL => endpointUrl(context.baseUrl, template, chatId);

  /** Usage of the streams before this one (each request's metadata counts that request only). */
  const before = { input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 };
  let current: Partial<typeof before> = {};
  const usageOf = (metadata: unknown): DecodeResult<RunEvent>[] => {
    if (!isObject(metadata)) return [];
    const source = isObject(metadata['totalUsage'])
      ? metadata['totalUsage']
      : isObject(metadata['usage'])
        ? metadata['usage']
        : metadata;
    const details = isObject(source['outputTokenDetails']) ? source['outputTokenDetails'] : {};
    const usage = {
      input_tokens: count(source['inputTokens']),
      output_tokens: count(source['outputTokens']),
      reasoning_tokens: count(source['reasoningTokens']) ?? count(details['reasoningTokens']),
      total_tokens: count(source['totalTokens']),
    };
    if (Object.values(usage).every((v) => v === undefined)) return [];
    current = usage;
    const total = (key: keyof typeof before): number => before[key] + (current[key] ?? 0);
    return [
      ev({
        type: 'usage',
        input_tokens: total('input_tokens'),
        output_tokens: total('output_tokens'),
        reasoning_tokens: total('reasoning_tokens'),
        total_tokens: total('total_tokens'),
      }),
    ];
  };

  const approvalPrompt = (toolCallId: string, reason: string | undefined): string => {
    const part = assistant.tool(toolCallId);
    const name = names.get(toolCallId) ?? 'a tool';
    const input = part?.['input'];
    const args = input === undefined ? '' : ` ${textOf(input)}`;
    return `Allow ${name}${args}?${reason ? ` ${reason}` : ''}`;
  };

  const decode = (obj: JsonObject, type: string, data: string): DecodeResult<RunEvent>[] => {
    switch (type) {
      case 'start': {
        const id = optStr(obj, 'messageId');
        if (id !== undefined && id !== '') assistant.id = id;
        const out = started ? [] : [ev({ type: 'status', state: 'running' })];
        started = true;
        return [...out, ...usageOf(obj['messageMetadata'])];
      }
      case 'finish': {
        complete = true;
        const reason = optStr(obj, 'finishReason');
        const out = usageOf(obj['messageMetadata']);
        if (obj['messageMetadata'] !== undefined) assistant.metadata = obj['messageMetadata'];
        if (batch.waiting) return out;
        finished = true;
        return [
          ...out,
          ev({ type: 'done', state: 'completed', ...(reason !== undefined && { finish_reason: reason }) }),
        ];
      }
      case 'abort': {
        complete = true;
        finished = true;
        batch.clear();
        const reason = optStr(obj, 'reason');
        return [ev({ type: 'done', state: 'cancelled', finish_reason: reason ?? 'aborted' })];
      }
      case 'error': {
        complete = true;
        finished = true;
        batch.clear();
        return [ev({ type: 'error', message: str(obj, 'errorText') }), ev({ type: 'done', state: 'failed' })];
      }
      case 'start-step':
        step++;
        assistant.stepStart();
        return [ev({ type: 'step', name: `step ${step}`, state: 'started' })];
      case 'finish-step':
        return [ev({ type: 'step', name: `step ${step}`, state: 'finished' })];
      case 'reset-step': {
        assistant.resetStep();
        return [
          ev({ type: 'message_reset', message_id: stepMessage() }),
          ev({ type: 'log', level: 'info', message: `step ${step} is retried: its output so far was withdrawn` }),
        ];
      }
      case 'text-start':
      case 'reasoning-start': {
        const kind = type === 'text-start' ? 'text' : 'reasoning';
        const id = str(obj, 'id');
        if (assistant.isOpen(kind, id)) return [outOfOrder(`${type} for ${id}, which is already open`, data)];
        assistant.open(kind, id);
        return [];
      }
      case 'text-delta':
      case 'reasoning-delta': {
        const kind = type === 'text-delta' ? 'text' : 'reasoning';
        const id = str(obj, 'id');
        const delta = str(obj, 'delta');
        if (!assistant.append(kind, id, delta)) return [outOfOrder(`${type} for ${id}, which was never started`, data)];
        if (delta === '') return [];
        return [ev({ type: kind === 'text' ? 'token' : 'reasoning', content: delta, message_id: stepMessage() })];
      }
      case 'text-end':
      case 'reasoning-end': {
        const kind = type === 'text-end' ? 'text' : 'reasoning';
        const id = str(obj, 'id');
        return assistant.end(kind, id) ? [] : [outOfOrder(`${type} for ${id}, which is not open`, data)];
      }
      case 'tool-input-start': {
        const id = str(obj, 'toolCallId', { allowEmpty: false });
        const name = str(obj, 'toolName');
        if (assistant.tool(id)) return [outOfOrder(`tool-input-start for ${id}, which already started`, data)];
        names.set(id, name);
        assistant.tool(id, name, optBool(obj, 'dynamic'));
        return [ev({ type: 'tool_call_delta', call_id: id, name, delta: '' })];
      }
      case 'tool-input-delta': {
        const id = str(obj, 'toolCallId', { allowEmpty: false });
        const delta = str(obj, 'inputTextDelta');
        const part = assistant.tool(id);
        if (part?.['state'] !== 'input-streaming')
          return [outOfOrder(`tool-input-delta for ${id}, whose input is not streaming`, data)];
        return [ev({ type: 'tool_call_delta', call_id: id, delta })];
      }
      case 'tool-input-available':
      case 'tool-input-error': {
        const id = str(obj, 'toolCallId', { allowEmpty: false });
        const name = str(obj, 'toolName');
        names.set(id, name);
        const part = assistant.tool(id, name, optBool(obj, 'dynamic'))!;
        part['input'] = obj['input'];
        const out = [ev({ type: 'tool_call', call_id: id, name, args: obj['input'] ?? {} })];
        if (type === 'tool-input-available') {
          part['state'] = 'input-available';
          return out;
        }
        const errorText = str(obj, 'errorText');
        part['state'] = 'output-error';
        part['errorText'] = errorText;
        return [...out, ev({ type: 'tool_result', call_id: id, summary: errorText, ok: false })];
      }
      case 'tool-approval-request': {
        const approvalId = str(obj, 'approvalId', { allowEmpty: false });
        const toolCallId = str(obj, 'toolCallId', { allowEmpty: false });
        const part = assistant.tool(toolCallId);
        if (!part) return [outOfOrder(`tool-approval-request for ${toolCallId}, a call that never started`, data)];
        const reason = optStr(obj, 'reason');
        const automatic = optBool(obj, 'isAutomatic') === true;
        part['state'] = 'approval-requested';
        part['approval'] = {
          id: approvalId,
          ...(automatic && { isAutomatic: true }),
          ...(reason !== undefined && { requestReason: reason }),
        };
        const request = stamper.stamp({
          type: 'need_input',
          prompt: approvalPrompt(toolCallId, reason),
          resume_token: approvalId,
          kind: 'approval',
          tool_call_id: toolCallId,
          choices: [...APPROVAL_CHOICES],
          ...(automatic && { automatic: true }),
        }) as NeedInputEvent;
        if (!automatic) batch.ask(request);
        return [{ ok: true, value: request }];
      }
      case 'tool-approval-response': {
        const approvalId = str(obj, 'approvalId', { allowEmpty: false });
        const approved = optBool(obj, 'approved');
        if (approved === undefined)
          throw new FrameError('invalid_field', 'field "approved" must be a boolean', 'approved');
        const reason = optStr(obj, 'reason');
        const part = assistant.approval(approvalId);
        if (part) {
          part['state'] = 'approval-responded';
          part['approval'] = { ...(part['approval'] as JsonObject), approved, ...(reason !== undefined && { reason }) };
        }
        if (!answers.confirm(approvalId)) return [];
        return [
          ev({
            type: 'input_accepted',
            resume_token: approvalId,
            text: approved ? 'Approve' : 'Deny',
            value: { approved, ...(reason !== undefined && { reason }) },
          }),
        ];
      }
      case 'tool-output-available': {
        const id = str(obj, 'toolCallId', { allowEmpty: false });
        const part = assistant.tool(id);
        if (!part) return [outOfOrder(`tool-output-available for ${id}, a call that never started`, data)];
        const output = obj['output'];
        if (optBool(obj, 'preliminary') === true) {
          part['state'] = 'output-available';
          part['output'] = output;
          part['preliminary'] = true;
          return [
            ev({ type: 'log', level: 'info', message: `${names.get(id) ?? id} (preliminary): ${textOf(output)}` }),
          ];
        }
        part['state'] = 'output-available';
        part['output'] = output;
        delete part['preliminary'];
        return [ev({ type: 'tool_result', call_id: id, summary: textOf(output), ok: true, result: output })];
      }
      case 'tool-output-error': {
        const id = str(obj, 'toolCallId', { allowEmpty: false });
        const errorText = str(obj, 'errorText');
        const part = assistant.tool(id);
        if (!part) return [outOfOrder(`tool-output-error for ${id}, a call that never started`, data)];
        part['state'] = 'output-error';
        part['errorText'] = errorText;
        return [ev({ type: 'tool_result', call_id: id, summary: errorText, ok: false })];
      }
      case 'tool-output-denied': {
        const id = str(obj, 'toolCallId', { allowEmpty: false });
        const part = assistant.tool(id);
        if (!part) return [outOfOrder(`tool-output-denied for ${id}, a call that never started`, data)];
        part['state'] = 'output-denied';
        const approval = part['approval'] as JsonObject | undefined;
        const reason = typeof approval?.['reason'] === 'string' ? approval['reason'] : undefined;
        return [
          ev({
            type: 'tool_result',
            call_id: id,
            summary: reason ? `denied: ${reason}` : 'denied',
            ok: false,
            result: { denied: true, ...(reason !== undefined && { reason }) },
          }),
        ];
      }
      case 'source-url':
      case 'source-document': {
        const sourceId = str(obj, 'sourceId');
        const title = optStr(obj, 'title');
        const sourceUrl = type === 'source-url' ? str(obj, 'url') : undefined;
        assistant.push({ ...obj, type: type });
        return [
          ev({
            type: 'source',
            source_id: sourceId,
            message_id: stepMessage(),
            ...(sourceUrl !== undefined && { url: sourceUrl }),
            ...(title !== undefined && { title }),
          }),
        ];
      }
      case 'file':
      case 'reasoning-file': {
        const fileUrl = str(obj, 'url');
        const mediaType = str(obj, 'mediaType');
        assistant.push({ type, url: fileUrl, mediaType });
        const shown = fileUrl.startsWith('data:') ? `a data URL of ${fileUrl.length} characters` : fileUrl;
        return [
          ev({
            type: 'log',
            level: 'info',
            message: `${type === 'file' ? 'file' : 'reasoning file'} (${mediaType}): ${shown}`,
          }),
        ];
      }
      case 'message-metadata':
        assistant.metadata = obj['messageMetadata'];
        return usageOf(obj['messageMetadata']);
      case 'steering-message': {
        const id = str(obj, 'id', { allowEmpty: false });
        const parts = Array.isArray(obj['parts']) ? obj['parts'] : [];
        const text = parts.map((p) => (isObject(p) && typeof p['text'] === 'string' ? p['text'] : '')).join('');
        assistant.push({ type: 'steering-message', id, parts });
        return [ev({ type: 'message', message_id: id, role: 'user', content: text })];
      }
      default:
        if (type.startsWith('data-')) {
          // Transient data parts are for the moment they arrive: not kept (the AI SDK keeps them out of the message too).
          if (obj['transient'] === true) return [];
          assistant.push({ ...obj, type });
        }
        return [
          ev({ type: 'unknown', event_type: type === 'custom' ? `custom ${textOf(obj['kind'])}` : type, data: obj }),
        ];
    }
  };

  /** The AI SDK's resume request: `GET {api}/{id}/stream`. */
  const streamRequest = (): ProtocolRequest => ({ method: 'GET', url: url(context.paths.stream), headers: ACCEPT });

  const conversation = (): unknown[] => [...history, assistant.toJSON()];

  const sendRequest = (answers: readonly ProtocolAnswer[]): ProtocolRequest => {
    for (const answer of answers) {
      const decision = decisionOf(answer);
      const part = assistant.approval(answer.request.resume_token);
      if (!part || 'refused' in decision) continue;
      part['state'] = 'approval-responded';
      part['approval'] = {
        ...(part['approval'] as JsonObject),
        approved: decision.approved,
        ...(decision.reason !== undefined && { reason: decision.reason }),
      };
    }
    return {
      method: 'POST',
      url: url(context.paths.runs),
      headers: ACCEPT,
      json: {
        ...body,
        id: chatId,
        messages: conversation(),
        trigger: 'submit-message',
        messageId: assistant.id || undefined,
      },
    };
  };

  return {
    get runId() {
      return chatId;
    },
    start(given) {
      body = isObject(given) ? { ...given } : {};
      chatId = typeof body['id'] === 'string' && body['id'] !== '' ? body['id'] : context.runId || crypto.randomUUID();
      history = Array.isArray(body['messages']) ? [...(body['messages'] as unknown[])] : [];
      return {
        runId: chatId,
        request: {
          method: 'POST',
          url: url(context.paths.runs),
          headers: ACCEPT,
          json: { ...body, id: chatId, messages: history, trigger: body['trigger'] ?? 'submit-message' },
        },
      };
    },
    open(from) {
      if (from === 'continue') {
        for (const key of Object.keys(before) as (keyof typeof before)[]) before[key] += current[key] ?? 0;
        current = {};
      }
      streamOpen = true;
      cut = false;
      complete = false;
      if (from === 'resume' && replay) {
        // The replay starts over: skip what was read before the cut, counting again from its first frame.
        skip = framesRead;
        framesRead = 0;
      } else {
        skip = 0;
        if (from !== 'resume') framesRead = 0;
      }
      if (from === 'start' && stamper.last === 0) {
        // The user's side of the conversation, shown as the run's first messages.
        const shown: DecodeResult<RunEvent>[] = [];
        for (const m of history) {
          if (!isObject(m) || typeof m['id'] !== 'string' || (m['role'] !== 'user' && m['role'] !== 'system')) continue;
          const parts = Array.isArray(m['parts']) ? m['parts'] : [];
          const text = parts.map((p) => (isObject(p) && p['type'] === 'text' ? textOf(p['text']) : '')).join('');
          shown.push(
            ev({ type: 'message', message_id: m['id'], role: m['role'], ...(text !== '' && { content: text }) }),
          );
        }
        pendingShown = shown;
      }
    },
    frame(frame) {
      if (!streamOpen) return [];
      framesRead++;
      if (skip > 0) {
        skip--;
        return [];
      }
      const before = pendingShown;
      pendingShown = [];
      if (frame.data.trim() === '[DONE]') {
        complete = true;
        return before;
      }
      let obj: JsonObject;
      try {
        obj = frameObject(frame.data);
      } catch (error) {
        return [...before, { ok: false, error: frameError(error, frame.data, undefined) }];
      }
      const type = typeof obj['type'] === 'string' && obj['type'] !== '' ? obj['type'] : undefined;
      if (type === undefined)
        return [
          ...before,
          {
            ok: false,
            error: new ProtocolError('missing_type', 'a UI message chunk needs a "type"', {
              field: 'type',
              excerpt: frame.data.slice(0, 200),
            }),
          },
        ];
      try {
        return [...before, ...decode(obj, type, frame.data)];
      } catch (error) {
        return [...before, { ok: false, error: frameError(error, frame.data, type) }];
      }
    },
    close() {
      streamOpen = false;
      if (!complete && !finished) cut = true;
      return complete;
    },
    noStream() {
      if (requested === 'attach') {
        finished = true;
        return [
          stamper.stamp({ type: 'log', level: 'info', message: `chat ${chatId} has no active stream to follow` }),
        ];
      }
      lost = true;
      return [];
    },
    next(): NextStep {
      if (finished) return { type: 'finished' };
      if (lost)
        return {
          type: 'cannot_resume',
          message: `the stream of chat ${chatId} ended while disconnected: the resume endpoint has no active stream left to replay`,
        };
      if (cut) {
        requested = 'resume';
        return { type: 'request', origin: 'resume', request: streamRequest() };
      }
      const waiting = answers.takeWaiting();
      if (waiting) return { type: 'request', origin: 'continue', request: sendRequest(waiting), answers: waiting };
      if (stamper.last === 0) {
        requested = 'attach';
        return { type: 'request', origin: 'attach', request: streamRequest() };
      }
      return { type: 'wait' };
    },
    answer(answer): AnswerPlan {
      return answers.plan(answer, streamOpen);
    },
    answered(sent) {
      return answers.answered(sent);
    },
    unsent(sent) {
      answers.unsent(sent);
    },
    cancel(): CancelPlan {
      return {
        // The stop endpoint the AI SDK documents for resumable streams: it persists the partial message and stops the work.
        request: { method: 'POST', url: url(context.paths.cancel), json: { assistantMessage: assistant.toJSON() } },
        confirm: () => {
          if (finished) return [];
          finished = true;
          batch.clear();
          return [stamper.stamp({ type: 'done', state: 'cancelled', finish_reason: 'stopped by the client' })];
        },
      };
    },
  };
}

const ACCEPT = { Accept: 'text/event-stream' } as const;
