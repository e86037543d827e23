/**
 * OpenAI Responses streaming as an agentwire run. `POST /v1/responses` with `stream: true` answers
 * with SSE events, each with a `sequence_number`: frames at or below the last one read are
 * recognised and skipped, so a resumed stream (`GET /v1/responses/{id}?stream=true&starting_after=N`,
 * for responses created with `background: true`) applies each event exactly once. An
 * `mcp_approval_request` output item opens a request, answered with an `mcp_approval_response`
 * input item in the next response (`previous_response_id`), whose stream the run goes on with.
 * The run's id is its first response's.
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
  ProtocolRequest,
  SessionContext,
  StreamFrame,
  StreamOrigin,
  StreamSession,
} from '../types.ts';

/** An output item being streamed. */
interface Item {
  type: string;
  /** The tool call's id in the store (`call_id` of a function call, the item id of an MCP call). */
  callId: string;
  name: string;
  args: string;
  /** Its complete `tool_call` was emitted. */
  called: boolean;
}

/** The id of the response a frame names (`response.created` and the other lifecycle events). */
export function responseIdOf(frame: StreamFrame): string | undefined {
  try {
    const obj: unknown = JSON.parse(frame.data);
    const response = isObject(obj) && isObject(obj['response']) ? obj['response'] : undefined;
    return typeof response?.['id'] === 'string' && response['id'] !== '' ? response['id'] : undefined;
  } catch {
    return undefined;
  }
}

/** Open an OpenAI Responses session. */
export function openaiResponsesSession(context: SessionContext): StreamSession {
  let runId = context.runId;
  const stamper = createStamper(() => runId, context.now);
  let body: JsonObject = {};
  /** The response being streamed (or last streamed). */
  let responseId = context.runId;
  let background = false;
  /** Highest sequence_number applied of the current response (-1 before any). */
  let lastSequence = -1;
  const items = new Map<string, Item>();
  const messages = new Set<string>();
  let streamOpen = false;
  let complete = false;
  let cut = false;
  let finished = false;
  let announced = false;
  const totals = { input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 };
  const answers = createAnswerFlow(stamper, {
    noun: 'approval request',
    unfit: refusalOf,
    request: (set) => sendRequest(set),
  });
  const { batch } = answers;

  const ev = (event: Unstamped): DecodeResult<RunEvent> => ({ ok: true, value: stamper.stamp(event) });
  const outOfOrder = (message: string, data: string): DecodeResult<RunEvent> => ({
    ok: false,
    error: new ProtocolError('out_of_order', message, { excerpt: data.slice(0, 200) }),
  });
  const url = (template: string, id: string): URL => endpointUrl(context.baseUrl, template, id);

  /** A response's lifecycle: a new one resets the resume cursor. */
  const follow = (response: JsonObject): void => {
    const id = str(response, 'id', { allowEmpty: false });
    if (id !== responseId) {
      responseId = id;
      lastSequence = -1;
    }
    if (runId === '') runId = id;
    if (typeof response['background'] === 'boolean') background = response['background'];
  };

  const addUsage = (response: JsonObject): DecodeResult<RunEvent>[] => {
    const usage = optObj(response, 'usage');
    if (!usage) return [];
    const details = isObject(usage['output_tokens_details']) ? usage['output_tokens_details'] : {};
    totals.input_tokens += count(usage['input_tokens']) ?? 0;
    totals.output_tokens += count(usage['output_tokens']) ?? 0;
    totals.reasoning_tokens += count(details['reasoning_tokens']) ?? 0;
    totals.total_tokens += count(usage['total_tokens']) ?? 0;
    return [ev({ type: 'usage', ...totals })];
  };

  const itemOf = (obj: JsonObject): Item | undefined => items.get(str(obj, 'item_id'));

  /** The complete call of a function or MCP item (once). */
  const called = (item: Item, args: string): DecodeResult<RunEvent>[] => {
    item.args = args;
    if (item.called) return [];
    item.called = true;
    return [
      ev({ type: 'tool_call', call_id: item.callId, name: item.name, args: args === '' ? {} : jsonOrText(args) }),
    ];
  };

  const itemAdded = (item: JsonObject): DecodeResult<RunEvent>[] => {
    const type = str(item, 'type');
    const id = str(item, 'id', { allowEmpty: false });
    switch (type) {
      case 'message':
        messages.add(id);
        return [ev({ type: 'message', message_id: id, role: 'assistant' })];
      case 'reasoning':
        messages.add(id);
        return [];
      case 'function_call':
      case 'mcp_call':
      case 'custom_tool_call': {
        const callId = type === 'function_call' ? str(item, 'call_id', { allowEmpty: false }) : id;
        const name = str(item, 'name');
        items.set(id, { type, callId, name, args: '', called: false });
        return [ev({ type: 'tool_call_delta', call_id: callId, name, delta: '' })];
      }
      case 'mcp_approval_request':
      case 'mcp_list_tools':
        return [];
      default:
        items.set(id, { type, callId: id, name: type, args: '', called: false });
        return [ev({ type: 'step', name: type.replaceAll('_', ' '), state: 'started' })];
    }
  };

  const itemDone = (item: JsonObject): DecodeResult<RunEvent>[] => {
    const type = str(item, 'type');
    const id = str(item, 'id', { allowEmpty: false });
    switch (type) {
      case 'message':
      case 'reasoning':
        messages.delete(id);
        return [];
      case 'function_call':
      case 'custom_tool_call': {
        const known = items.get(id) ?? {
          type,
          callId: optStr(item, 'call_id') ?? id,
          name: str(item, 'name'),
          args: '',
          called: false,
        };
        items.delete(id);
        return called(known, type === 'function_call' ? str(item, 'arguments') : textOf(item['input']));
      }
      case 'mcp_call': {
        const known = items.get(id) ?? { type, callId: id, name: str(item, 'name'), args: '', called: false };
        items.delete(id);
        const out = called(known, str(item, 'arguments'));
        const error = item['error'];
        const output = optStr(item, 'output');
        if (error !== undefined && error !== null)
          return [
            ...out,
            ev({
              type: 'tool_result',
              call_id: id,
              summary: textOf(isObject(error) ? (error['message'] ?? error) : error),
              ok: false,
              result: error,
            }),
          ];
        return [
          ...out,
          ev({
            type: 'tool_result',
            call_id: id,
            summary: output ?? '',
            ok: true,
            result: output === undefined ? null : jsonOrText(output),
          }),
        ];
      }
      case 'mcp_approval_request': {
        const name = str(item, 'name');
        const server = optStr(item, 'server_label');
        const args = optStr(item, 'arguments') ?? '';
        const request = stamper.stamp({
          type: 'need_input',
          prompt: `Allow ${server ? `${server}: ` : ''}${name}${args === '' ? '' : ` ${args}`}?`,
          resume_token: id,
          kind: 'approval',
          choices: [...APPROVAL_CHOICES],
        }) as NeedInputEvent;
        batch.ask(request);
        return [{ ok: true, value: request }];
      }
      case 'mcp_list_tools': {
        const tools = Array.isArray(item['tools']) ? item['tools'].length : 0;
        return [
          ev({
            type: 'log',
            level: 'info',
            message: `${optStr(item, 'server_label') ?? 'MCP server'}: ${tools} tool${tools === 1 ? '' : 's'} listed`,
          }),
        ];
      }
      default:
        items.delete(id);
        return [
          ev({
            type: 'step',
            name: type.replaceAll('_', ' '),
            state: item['status'] === 'failed' ? 'failed' : 'finished',
          }),
        ];
    }
  };

  const decode = (obj: JsonObject, type: string, data: string): DecodeResult<RunEvent>[] => {
    switch (type) {
      case 'response.created':
      case 'response.queued':
      case 'response.in_progress': {
        const response = optObj(obj, 'response');
        if (!response) throw new FrameError('invalid_field', 'field "response" must be an object', 'response');
        follow(response);
        if (type === 'response.queued') return [ev({ type: 'status', state: 'queued' })];
        if (announced) return [];
        announced = true;
        return [ev({ type: 'status', state: 'running' })];
      }
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        const response = optObj(obj, 'response');
        if (!response) throw new FrameError('invalid_field', 'field "response" must be an object', 'response');
        follow(response);
        complete = true;
        const out = addUsage(response);
        announced = false;
        if (type === 'response.failed') {
          finished = true;
          batch.clear();
          const error = isObject(response['error']) ? response['error'] : {};
          const code = typeof error['code'] === 'string' ? error['code'] : undefined;
          return [
            ...out,
            ev({
              type: 'error',
              message: typeof error['message'] === 'string' ? error['message'] : 'the response failed',
              ...(code !== undefined && { code }),
            }),
            ev({ type: 'done', state: 'failed' }),
          ];
        }
        if (batch.waiting) return out;
        finished = true;
        const details = isObject(response['incomplete_details']) ? response['incomplete_details'] : {};
        const reason =
          type === 'response.incomplete' ? `incomplete: ${textOf(details['reason'] ?? 'unknown')}` : 'stop';
        return [
          ...out,
          ev({ type: 'done', state: 'completed', finish_reason: reason, result: { response_id: responseId } }),
        ];
      }
      case 'error': {
        complete = true;
        finished = true;
        batch.clear();
        const code = optStr(obj, 'code');
        return [
          ev({ type: 'error', message: str(obj, 'message'), ...(code !== undefined && { code }) }),
          ev({ type: 'done', state: 'failed' }),
        ];
      }
      case 'response.output_item.added':
      case 'response.output_item.done': {
        const item = optObj(obj, 'item');
        if (!item) throw new FrameError('invalid_field', 'field "item" must be an object', 'item');
        return type === 'response.output_item.added' ? itemAdded(item) : itemDone(item);
      }
      case 'response.output_text.delta':
      case 'response.refusal.delta': {
        const id = str(obj, 'item_id');
        const delta = str(obj, 'delta');
        if (!messages.has(id)) return [outOfOrder(`${type} for item ${id}, which was never added`, data)];
        return delta === '' ? [] : [ev({ type: 'token', content: delta, message_id: id })];
      }
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta': {
        const id = str(obj, 'item_id');
        const delta = str(obj, 'delta');
        if (!messages.has(id)) return [outOfOrder(`${type} for item ${id}, which was never added`, data)];
        return delta === '' ? [] : [ev({ type: 'reasoning', content: delta, message_id: id })];
      }
      case 'response.reasoning_summary_part.added': {
        const id = str(obj, 'item_id');
        if (!messages.has(id)) return [outOfOrder(`${type} for item ${id}, which was never added`, data)];
        // Summary parts after the first are paragraphs of their own.
        return (optNum(obj, 'summary_index') ?? 0) > 0
          ? [ev({ type: 'reasoning', content: '\n\n', message_id: id })]
          : [];
      }
      case 'response.output_text.annotation.added': {
        const annotation = optObj(obj, 'annotation');
        const id = str(obj, 'item_id');
        if (!annotation) return [];
        const kind = optStr(annotation, 'type');
        const link = optStr(annotation, 'url');
        const title = optStr(annotation, 'title') ?? optStr(annotation, 'filename');
        const sourceId = link ?? optStr(annotation, 'file_id') ?? `${id}:${textOf(obj['annotation_index'])}`;
        if (kind === 'file_path') return [];
        return [
          ev({
            type: 'source',
            source_id: sourceId,
            message_id: id,
            ...(link !== undefined && { url: link }),
            ...(title !== undefined && { title }),
          }),
        ];
      }
      case 'response.function_call_arguments.delta':
      case 'response.mcp_call_arguments.delta':
      case 'response.custom_tool_call_input.delta': {
        const item = itemOf(obj);
        const delta = str(obj, 'delta');
        if (!item) return [outOfOrder(`${type} for item ${str(obj, 'item_id')}, which was never added`, data)];
        item.args += delta;
        return [ev({ type: 'tool_call_delta', call_id: item.callId, delta })];
      }
      case 'response.function_call_arguments.done':
      case 'response.mcp_call_arguments.done':
      case 'response.custom_tool_call_input.done': {
        const item = itemOf(obj);
        if (!item) return [outOfOrder(`${type} for item ${str(obj, 'item_id')}, which was never added`, data)];
        return called(
          item,
          type === 'response.custom_tool_call_input.done' ? str(obj, 'input') : str(obj, 'arguments'),
        );
      }
      case 'response.output_text.done':
      case 'response.refusal.done':
      case 'response.content_part.added':
      case 'response.content_part.done':
      case 'response.reasoning_summary_part.done':
      case 'response.reasoning_summary_text.done':
      case 'response.reasoning_text.done':
      case 'response.mcp_call.in_progress':
      case 'response.mcp_call.completed':
      case 'response.mcp_call.failed':
      case 'response.mcp_list_tools.in_progress':
      case 'response.mcp_list_tools.completed':
      case 'response.mcp_list_tools.failed':
        // Their content arrives with the deltas and the output item's `done`.
        return [];
      default:
        // Tool progress (web search, file search, code interpreter, image generation, ...) shows through
        // its output item's step; anything this version does not know is kept, shown raw.
        if (/^response\.(web_search_call|file_search_call|code_interpreter_call|image_generation_call)\./.test(type))
          return [];
        return [ev({ type: 'unknown', event_type: type, data: obj })];
    }
  };

  const startBody = (): JsonObject => {
    const { input: _input, previous_response_id: _previous, ...rest } = body;
    return rest;
  };

  const sendRequest = (answers: readonly ProtocolAnswer[]): ProtocolRequest => ({
    method: 'POST',
    url: url(context.paths.runs, responseId),
    headers: ACCEPT,
    json: {
      ...startBody(),
      stream: true,
      previous_response_id: responseId,
      input: answers.map((answer) => {
        const decision = decisionOf(answer);
        const approve = !('refused' in decision) && decision.approved;
        const reason = 'refused' in decision ? undefined : decision.reason;
        return {
          type: 'mcp_approval_response',
          approval_request_id: answer.request.resume_token,
          approve,
          ...(reason !== undefined && { reason }),
        };
      }),
    },
  });

  const streamRequest = (): ProtocolRequest => {
    const target = url(context.paths.stream, responseId);
    target.searchParams.set('stream', 'true');
    if (lastSequence >= 0) target.searchParams.set('starting_after', String(lastSequence));
    return { method: 'GET', url: target, headers: ACCEPT };
  };

  return {
    get runId() {
      return runId;
    },
    start(given) {
      body = isObject(given) ? { ...given } : {};
      if (body['background'] === true) background = true;
      return {
        request: { method: 'POST', url: url(context.paths.runs, ''), headers: ACCEPT, json: { ...body, stream: true } },
      };
    },
    open(origin: StreamOrigin) {
      streamOpen = true;
      complete = false;
      cut = false;
      if (origin === 'continue') lastSequence = -1;
    },
    frame(frame) {
      if (!streamOpen) return [];
      let obj: JsonObject;
      try {
        obj = frameObject(frame.data);
      } catch (error) {
        return [
          { ok: false, error: frameError(error, frame.data, frame.event === 'message' ? undefined : frame.event) },
        ];
      }
      const type =
        typeof obj['type'] === 'string' && obj['type'] !== ''
          ? obj['type']
          : frame.event !== 'message'
            ? frame.event
            : undefined;
      if (type === undefined)
        return [
          {
            ok: false,
            error: new ProtocolError('missing_type', 'a Responses event needs a "type"', {
              field: 'type',
              excerpt: frame.data.slice(0, 200),
            }),
          },
        ];
      const sequence = obj['sequence_number'];
      if (typeof sequence === 'number' && Number.isSafeInteger(sequence)) {
        // The lifecycle event of another response resets the cursor (a continuation, or a stream attached by id).
        const response = obj['response'];
        const named = isObject(response) && typeof response['id'] === 'string' ? response['id'] : undefined;
        if (named !== undefined && named !== responseId) lastSequence = -1;
        if (sequence <= lastSequence) return [];
      }
      try {
        const out = decode(obj, type, frame.data);
        if (typeof sequence === 'number' && Number.isSafeInteger(sequence))
          lastSequence = Math.max(lastSequence, sequence);
        return out;
      } catch (error) {
        if (typeof sequence === 'number' && Number.isSafeInteger(sequence))
          lastSequence = Math.max(lastSequence, sequence);
        return [{ ok: false, error: frameError(error, frame.data, type) }];
      }
    },
    close() {
      streamOpen = false;
      if (!complete && !finished) cut = true;
      return complete;
    },
    noStream: () => [],
    next(): NextStep {
      if (finished) return { type: 'finished' };
      if (cut) {
        if (!background)
          return {
            type: 'cannot_resume',
            message: `the stream of response ${responseId} was cut, and only responses created with "background": true can be streamed again`,
          };
        return { type: 'request', origin: 'resume', request: streamRequest() };
      }
      const waiting = answers.takeWaiting();
      if (waiting) return { type: 'request', origin: 'continue', request: sendRequest(waiting), answers: waiting };
      if (stamper.last === 0) return { type: 'request', origin: 'attach', request: streamRequest() };
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
        // Only background responses can be cancelled on the server; others stop when their stream is dropped.
        request: background ? { method: 'POST', url: url(context.paths.cancel, responseId) } : null,
        confirm: () => {
          if (finished) return [];
          finished = true;
          batch.clear();
          return [stamper.stamp({ type: 'done', state: 'cancelled', finish_reason: 'cancelled by the client' })];
        },
      };
    },
  };
}

const ACCEPT = { Accept: 'text/event-stream' } as const;
