/**
 * Runtime decoding of untrusted wire input into typed events, commands and snapshots.
 * Every decoder returns a DecodeResult and never throws. Field aliases used by plain servers
 * (progress ↔ pct, status ↔ state, task_id ↔ run_id, ...) are normalised here and only here.
 */
import { ProtocolError, excerptOf, type DecodeResult } from './errors.ts';
import { MAX_EVENT_BYTES, MAX_REPLY_TEXT_LENGTH } from './limits.ts';
import {
  DONE_STATES,
  KNOWN_EVENT_TYPES,
  MESSAGE_ROLES,
  REQUEST_KINDS,
  LOG_LEVELS,
  RUN_STATES,
  STEP_STATES,
  isLogEvent,
  type ClientCommand,
  type ControlMessage,
  type DoneEvent,
  type DoneState,
  type EventsPage,
  type LogLevel,
  type MessageEvent,
  type StatusEvent,
  type UsageEvent,
  type StepState,
  type NeedInputEvent,
  type RunEvent,
  type RunSnapshot,
  type RunState,
  type ThreadSnapshot,
} from './types.ts';

/** Context a decoder cannot read from the JSON itself. */
export interface DecodeHint {
  /** The SSE `event:` name, used as the type when the JSON has none. */
  eventName?: string;
  /** The run the connection is for, used when the JSON names none. */
  runId?: string;
}

type Json = Record<string, unknown>;

/** Internal: a field check failed. Caught at every exported boundary. */
class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const ok = <T>(value: T): DecodeResult<T> => ({ ok: true, value });
const fail = <T>(error: ProtocolError): DecodeResult<T> => ({ ok: false, error });

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `field "x" must be <expected>, got <got>`: the one shape of every field error. */
function invalid(field: string, expected: string, got: string): FieldError {
  return new FieldError(field, `field "${field}" must be ${expected}, got ${got}`);
}

/** True for a safe integer of at least `min`. */
function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/** The refusal of a top-level value that is not a JSON object. */
function notAnObject<T>(what: string, input: unknown): DecodeResult<T> {
  return fail(
    new ProtocolError('not_an_object', `${what} must be a JSON object, got ${describe(input)}`, {
      excerpt: excerptJson(input),
    }),
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

function excerptJson(value: unknown): string {
  try {
    // JSON.stringify returns undefined for undefined, functions and symbols (its lib type says string).
    const json: unknown = JSON.stringify(value);
    return excerptOf(typeof json === 'string' ? json : String(value));
  } catch {
    return excerptOf(String(value));
  }
}

/** Read the first present key among aliases. */
function pick(obj: Json, keys: readonly string[]): [string, unknown] | undefined {
  for (const key of keys) if (obj[key] !== undefined) return [key, obj[key]];
  return undefined;
}

function requireString(obj: Json, keys: readonly string[], { allowEmpty = true } = {}): string {
  const found = pick(obj, keys);
  if (!found) throw new FieldError(keys[0]!, `missing required string field "${keys[0]}"`);
  const [key, value] = found;
  if (typeof value !== 'string') throw invalid(key, 'a string', describe(value));
  if (!allowEmpty && value === '') throw new FieldError(key, `field "${key}" must not be empty`);
  return value;
}

function optionalString(obj: Json, keys: readonly string[]): string | undefined {
  const found = pick(obj, keys);
  if (!found || found[1] === null) return undefined;
  const [key, value] = found;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalid(key, 'a string', describe(value));
}

function optionalBoolean(obj: Json, key: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(key, 'a boolean', describe(value));
  return value;
}

function oneOf<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): T {
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if ((allowed as readonly string[]).includes(lower)) return lower as T;
    // Own keys only: "constructor", "__proto__" and the like are not aliases.
    const alias = Object.hasOwn(aliases, lower) ? aliases[lower] : undefined;
    if (alias) return alias;
  }
  throw invalid(field, `one of ${allowed.join(', ')}`, excerptJson(value));
}

/** Read an enum field under any of its alias keys, reporting the key actually used; `fallback` when absent. */
function enumField<T extends string>(
  obj: Json,
  keys: readonly string[],
  allowed: readonly T[],
  aliases: Readonly<Record<string, T>>,
  fallback?: T,
): T {
  const found = pick(obj, keys);
  if ((!found || found[1] === null) && fallback !== undefined) return fallback;
  return oneOf(found?.[0] ?? keys[0]!, found?.[1], allowed, aliases);
}

/** Status values plain servers use, mapped onto RunState. */
const RUN_STATE_ALIASES: Readonly<Record<string, RunState>> = {
  pending: 'queued',
  created: 'queued',
  started: 'running',
  connected: 'running',
  in_progress: 'running',
  processing: 'running',
  active: 'running',
  paused: 'waiting',
  waiting_for_input: 'waiting',
  awaiting_input: 'waiting',
  completed: 'done',
  complete: 'done',
  succeeded: 'done',
  success: 'done',
  finished: 'done',
  error: 'failed',
  errored: 'failed',
  canceled: 'cancelled',
  aborted: 'cancelled',
};

const STEP_STATE_ALIASES: Readonly<Record<string, StepState>> = {
  start: 'started',
  running: 'started',
  done: 'finished',
  completed: 'finished',
  end: 'finished',
};

const DONE_STATE_ALIASES: Readonly<Record<string, DoneState>> = {
  done: 'completed',
  complete: 'completed',
  success: 'completed',
  succeeded: 'completed',
  finished: 'completed',
  canceled: 'cancelled',
  aborted: 'cancelled',
  error: 'failed',
  errored: 'failed',
};

function readSeq(obj: Json): number | undefined {
  const value = obj['seq'];
  if (value === undefined || value === null) return undefined;
  if (!isCount(value, 1)) throw invalid('seq', 'a positive integer', excerptJson(value));
  return value;
}

/** A coalesced token's `seq_end`: an integer above its `seq` (which it needs). */
function readSeqEnd(obj: Json, seq: number | undefined): number | undefined {
  const value = obj['seq_end'];
  if (value === undefined || value === null) return undefined;
  if (seq === undefined) throw invalid('seq_end', 'absent on an event without seq', excerptJson(value));
  if (!isCount(value, seq + 1)) throw invalid('seq_end', `an integer greater than seq (${seq})`, excerptJson(value));
  return value;
}

function readRunId(obj: Json, hint: DecodeHint): string | undefined {
  return optionalString(obj, ['run_id', 'task_id', 'runId', 'taskId']) ?? hint.runId;
}

function readPct(obj: Json): number | null {
  const found = pick(obj, ['pct', 'progress', 'percent', 'percentage']);
  if (!found || found[1] === null) return null;
  const [key, value] = found;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid(key, 'a number from 0 to 100', excerptJson(value));
  return Math.min(100, Math.max(0, n));
}

function readExpiresAt(obj: Json): string | undefined {
  const value = obj['expires_at'];
  if (value === undefined || value === null) return undefined;
  const time = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(time)) throw invalid('expires_at', 'an ISO 8601 date or epoch milliseconds', excerptJson(value));
  return new Date(time).toISOString();
}

function readChoices(obj: Json): string[] | undefined {
  const value = obj['choices'] ?? obj['options'];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((c): c is string => typeof c === 'string')) {
    throw invalid('choices', 'an array of strings', excerptJson(value));
  }
  return value.length > 0 ? [...value] : undefined;
}

/** Decide the event type: the JSON's `type`, else the SSE event name, else inferred from the fields. */
function resolveType(obj: Json, hint: DecodeHint): string | undefined {
  if (typeof obj['type'] === 'string' && obj['type'] !== '') return obj['type'];
  if (hint.eventName && hint.eventName !== 'message') return hint.eventName;
  if (typeof obj['content'] === 'string' || typeof obj['delta'] === 'string') return 'token';
  if (obj['resume_token'] !== undefined && obj['prompt'] !== undefined) return 'need_input';
  if (obj['pct'] !== undefined || obj['progress'] !== undefined) return 'progress';
  if (obj['status'] !== undefined || obj['state'] !== undefined) return 'status';
  if (obj['result'] !== undefined) return 'done';
  if (obj['error'] !== undefined) return 'error';
  return undefined;
}

/** The fields every event carries. */
type Base = Pick<RunEvent, 'run_id' | 'seq' | 'at'>;

/**
 * A status. Servers invent state words ("planning", "searching", "thinking"): a word that is not a
 * RunState (nor a known alias of one) means running, and is kept as the label shown.
 */
function readStatus(obj: Json, base: Base): StatusEvent {
  const found = pick(obj, ['state', 'status']);
  if (!found || found[1] === null) throw new FieldError('state', 'missing required string field "state"');
  const [key, value] = found;
  if (typeof value !== 'string' || value.trim() === '') throw invalid(key, 'a state word', excerptJson(value));
  const word = value.trim();
  const lower = word.toLowerCase();
  const state: RunState = (RUN_STATES as readonly string[]).includes(lower)
    ? (lower as RunState)
    : Object.hasOwn(RUN_STATE_ALIASES, lower)
      ? RUN_STATE_ALIASES[lower]!
      : 'running';
  const label = optionalString(obj, ['label']) ?? (lower === state ? undefined : word);
  return { type: 'status', ...base, state, ...(label !== undefined && { label }) };
}

/** A message declaring its role (and its whole text when it is not streamed). */
function readMessage(obj: Json, base: Base): MessageEvent {
  const content = optionalString(obj, ['content', 'text']);
  return {
    type: 'message',
    ...base,
    message_id: requireString(obj, ['message_id', 'messageId', 'id'], { allowEmpty: false }),
    role: oneOf('role', obj['role'], MESSAGE_ROLES, { developer: 'system', ai: 'assistant', human: 'user' }),
    ...(content !== undefined && { content }),
  };
}

/** Token counts: non-negative integers, under their common names. */
function readUsage(obj: Json): Omit<UsageEvent, 'type' | 'run_id' | 'seq' | 'at'> {
  const counts: Record<string, number> = {};
  const fields = {
    input_tokens: ['input_tokens', 'inputTokens', 'prompt_tokens'],
    output_tokens: ['output_tokens', 'outputTokens', 'completion_tokens'],
    reasoning_tokens: ['reasoning_tokens', 'reasoningTokens'],
    total_tokens: ['total_tokens', 'totalTokens'],
  } as const;
  for (const [field, keys] of Object.entries(fields)) {
    const found = pick(obj, keys);
    if (!found || found[1] === null) continue;
    if (!isCount(found[1], 0)) throw invalid(found[0], 'a non-negative integer', excerptJson(found[1]));
    counts[field] = found[1];
  }
  return counts;
}

/** How a run ended: `state`, or a plain server's `result` word ("cancelled", "failed"), else completed. */
function readDoneState(obj: Json): DoneState {
  const result = obj['result'];
  if (pick(obj, ['state', 'status']) === undefined && typeof result === 'string') {
    const lower = result.toLowerCase();
    const word = Object.hasOwn(DONE_STATE_ALIASES, lower) ? DONE_STATE_ALIASES[lower] : lower;
    if (word === 'cancelled' || word === 'failed') return word;
  }
  return enumField(obj, ['state', 'status'], DONE_STATES, DONE_STATE_ALIASES, 'completed');
}

/** When the server emitted the event: `at` (or `timestamp`) as ISO 8601 or epoch milliseconds, normalised to ISO. */
function readAt(obj: Json, keys: readonly string[] = ['at', 'timestamp']): string | undefined {
  const found = pick(obj, keys);
  if (!found || found[1] === null) return undefined;
  const [key, value] = found;
  const time = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(time)) throw invalid(key, 'an ISO 8601 date or epoch milliseconds', excerptJson(value));
  return new Date(time).toISOString();
}

const TYPE_ALIASES: Readonly<Record<string, RunEvent['type']>> = {
  delta: 'token',
  text: 'token',
  message: 'token',
  result: 'done',
  complete: 'done',
  completed: 'done',
  end: 'done',
};

function decodeKnown(type: RunEvent['type'], obj: Json, base: Base): RunEvent {
  switch (type) {
    case 'status':
      return readStatus(obj, base);
    case 'progress': {
      const message = optionalString(obj, ['message', 'msg', 'label']);
      return { type, ...base, pct: readPct(obj), ...(message !== undefined && { message }) };
    }
    case 'message':
      // A plain server's `{"type":"message","content":…}` is a token; a message declares a role.
      return obj['role'] === undefined ? decodeKnown('token', obj, base) : readMessage(obj, base);
    case 'reasoning': {
      const messageId = optionalString(obj, ['message_id', 'messageId']);
      return {
        type,
        ...base,
        content: requireString(obj, ['content', 'delta', 'text']),
        ...(messageId !== undefined && { message_id: messageId }),
      };
    }
    case 'message_reset':
      return { type, ...base, message_id: requireString(obj, ['message_id', 'messageId'], { allowEmpty: false }) };
    case 'tool_call_delta': {
      const name = optionalString(obj, ['name', 'tool', 'tool_name']);
      return {
        type,
        ...base,
        call_id: requireString(obj, ['call_id', 'callId', 'tool_call_id', 'id'], { allowEmpty: false }),
        delta: requireString(obj, ['delta', 'args_delta', 'arguments_delta']),
        ...(name !== undefined && { name }),
      };
    }
    case 'usage':
      return { type, ...base, ...readUsage(obj) };
    case 'source': {
      const url = optionalString(obj, ['url', 'href']);
      const title = optionalString(obj, ['title']);
      const messageId = optionalString(obj, ['message_id', 'messageId']);
      return {
        type,
        ...base,
        source_id: requireString(obj, ['source_id', 'sourceId', 'id', 'url'], { allowEmpty: false }),
        ...(url !== undefined && { url }),
        ...(title !== undefined && { title }),
        ...(messageId !== undefined && { message_id: messageId }),
      };
    }
    case 'agent_state':
      return { type, ...base, state: obj['state'] ?? null };
    case 'token': {
      const messageId = optionalString(obj, ['message_id', 'messageId']);
      const seqEnd = readSeqEnd(obj, base.seq);
      return {
        type,
        ...base,
        content: requireString(obj, ['content', 'delta', 'token', 'text']),
        ...(messageId !== undefined && { message_id: messageId }),
        ...(seqEnd !== undefined && { seq_end: seqEnd }),
      };
    }
    case 'log':
      return {
        type,
        ...base,
        level:
          obj['level'] === undefined
            ? 'info'
            : oneOf<LogLevel>('level', obj['level'], LOG_LEVELS, { warning: 'warn', err: 'error', trace: 'debug' }),
        message: requireString(obj, ['message', 'msg', 'text']),
      };
    case 'step': {
      const hasState = pick(obj, ['state', 'status']) !== undefined && (obj['state'] ?? obj['status']) !== null;
      return {
        type,
        ...base,
        name: requireString(obj, ['name', 'step', 'title']),
        ...(hasState && { state: enumField<StepState>(obj, ['state', 'status'], STEP_STATES, STEP_STATE_ALIASES) }),
      };
    }
    case 'tool_call': {
      const callId = optionalString(obj, ['call_id', 'callId', 'tool_call_id', 'id']);
      return {
        type,
        ...base,
        ...(callId !== undefined && { call_id: callId }),
        name: requireString(obj, ['name', 'tool', 'tool_name'], { allowEmpty: false }),
        args: obj['args'] ?? obj['arguments'] ?? obj['input'] ?? {},
      };
    }
    case 'tool_result': {
      const callId = optionalString(obj, ['call_id', 'callId', 'tool_call_id', 'id']);
      const okFlag = optionalBoolean(obj, 'ok');
      const summaryRaw = pick(obj, ['summary', 'result', 'output', 'content'])?.[1];
      const summary =
        typeof summaryRaw === 'string' ? summaryRaw : summaryRaw === undefined ? '' : excerptJson(summaryRaw);
      const structured = pick(obj, ['result', 'output'])?.[1];
      return {
        type,
        ...base,
        ...(callId !== undefined && { call_id: callId }),
        summary,
        ...(okFlag !== undefined && { ok: okFlag }),
        ...(structured !== undefined && typeof structured !== 'string' && { result: structured }),
      };
    }
    case 'need_input': {
      const expires = readExpiresAt(obj);
      const choices = readChoices(obj);
      const toolCallId = optionalString(obj, ['tool_call_id', 'toolCallId']);
      const automatic = optionalBoolean(obj, 'automatic');
      const schema = obj['response_schema'] ?? obj['responseSchema'];
      const event: NeedInputEvent = {
        type,
        ...base,
        prompt: requireString(obj, ['prompt', 'question', 'message']),
        // A plain server may give none: the reducer makes one up (and marks it local, never sent).
        resume_token: optionalString(obj, ['resume_token', 'resumeToken']) ?? '',
      };
      if (expires !== undefined) event.expires_at = expires;
      if (choices !== undefined) event.choices = choices;
      if (obj['kind'] !== undefined && obj['kind'] !== null) event.kind = oneOf('kind', obj['kind'], REQUEST_KINDS);
      if (toolCallId !== undefined) event.tool_call_id = toolCallId;
      if (isObject(schema)) event.response_schema = schema;
      else if (schema !== undefined && schema !== null)
        throw invalid('response_schema', 'a JSON Schema object', describe(schema));
      if (automatic !== undefined) event.automatic = automatic;
      return event;
    }
    case 'input_accepted': {
      const text = optionalString(obj, ['text', 'answer']);
      return {
        type,
        ...base,
        resume_token: requireString(obj, ['resume_token', 'resumeToken'], { allowEmpty: false }),
        ...(text !== undefined && { text }),
        ...(obj['value'] !== undefined && { value: obj['value'] }),
      };
    }
    case 'error': {
      const code = optionalString(obj, ['code']);
      const retryable = optionalBoolean(obj, 'retryable');
      return {
        type,
        ...base,
        message: requireString(obj, ['message', 'error', 'detail']),
        ...(code !== undefined && { code }),
        ...(retryable !== undefined && { retryable }),
      };
    }
    case 'done': {
      const finish = optionalString(obj, ['finish_reason', 'reason']);
      const event: DoneEvent = { type, ...base, state: readDoneState(obj) };
      if (obj['result'] !== undefined) event.result = obj['result'];
      if (finish !== undefined) event.finish_reason = finish;
      return event;
    }
    case 'unknown':
      return { type, ...base, event_type: 'unknown', data: obj };
  }
}

/**
 * Decode one untrusted server event (already parsed JSON) into a typed RunEvent.
 * Unknown types become an `unknown` event carrying the raw data; invalid fields a ProtocolError.
 */
export function decodeEvent(input: unknown, hint: DecodeHint = {}): DecodeResult<RunEvent> {
  if (!isObject(input)) return notAnObject('event', input);
  const rawType = resolveType(input, hint);
  if (rawType === undefined) {
    return fail(
      new ProtocolError('missing_type', 'event has no "type" and none could be inferred', {
        field: 'type',
        excerpt: excerptJson(input),
      }),
    );
  }
  try {
    const seq = readSeq(input);
    const runId = readRunId(input, hint);
    const at = readAt(input);
    const base: Base = {
      ...(runId !== undefined && { run_id: runId }),
      ...(seq !== undefined && { seq }),
      ...(at !== undefined && { at }),
    };
    const known = (KNOWN_EVENT_TYPES as readonly string[]).includes(rawType)
      ? (rawType as RunEvent['type'])
      : Object.hasOwn(TYPE_ALIASES, rawType)
        ? TYPE_ALIASES[rawType]
        : undefined;
    if (known === undefined) return ok({ type: 'unknown', ...base, event_type: rawType, data: input });
    return ok(decodeKnown(known, input, base));
  } catch (err) {
    return fail(toProtocolError(err, input, rawType));
  }
}

function toProtocolError(err: unknown, input: unknown, what: string): ProtocolError {
  if (err instanceof FieldError) {
    return new ProtocolError('invalid_field', `${what}: ${err.message}`, {
      field: err.field,
      excerpt: excerptJson(input),
    });
  }
  return new ProtocolError('invalid_field', `${what}: ${String(err)}`, { excerpt: excerptJson(input) });
}

/** Parse untrusted JSON text, refusing anything over `maxBytes` (UTF-16 length is used as a cheap lower bound). */
export function parseJson(text: string, maxBytes: number = MAX_EVENT_BYTES): DecodeResult<unknown> {
  if (text.length > maxBytes) {
    return fail(
      new ProtocolError('oversized', `message of ${text.length} characters exceeds the ${maxBytes}-byte limit`, {
        excerpt: excerptOf(text),
      }),
    );
  }
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (err) {
    return fail(
      new ProtocolError('malformed_json', `malformed JSON: ${err instanceof Error ? err.message : String(err)}`, {
        excerpt: excerptOf(text),
      }),
    );
  }
}

/** Parse and decode one server event from JSON text (an SSE data block or a WebSocket message). */
export function decodeEventText(text: string, hint: DecodeHint = {}, maxBytes?: number): DecodeResult<RunEvent> {
  const parsed = parseJson(text, maxBytes);
  return parsed.ok ? decodeEvent(parsed.value, hint) : parsed;
}

/** Decode a WebSocket message from the server: a run event, or a connection-level `pong` / `command_error`. */
export function decodeServerMessage(
  text: string,
  hint: DecodeHint = {},
  maxBytes?: number,
): DecodeResult<RunEvent | ControlMessage> {
  const parsed = parseJson(text, maxBytes);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (isObject(value) && value['type'] === 'pong') {
    const id = typeof value['id'] === 'string' ? value['id'] : undefined;
    return ok(id === undefined ? { type: 'pong' } : { type: 'pong', id });
  }
  if (isObject(value) && value['type'] === 'command_error') {
    try {
      const status = value['status'];
      const command = optionalString(value, ['command']);
      const token = optionalString(value, ['resume_token']);
      const field = optionalString(value, ['field']);
      return ok({
        type: 'command_error',
        code: requireString(value, ['code']),
        message: requireString(value, ['message']),
        status: typeof status === 'number' ? status : 400,
        ...(command !== undefined && { command }),
        ...(token !== undefined && { resume_token: token }),
        ...(field !== undefined && { field }),
      });
    } catch (err) {
      return fail(toProtocolError(err, value, 'command_error'));
    }
  }
  return decodeEvent(value, hint);
}

/** Decode an untrusted client command (WebSocket message or REST body). */
export function decodeCommand(input: unknown): DecodeResult<ClientCommand> {
  if (!isObject(input)) return notAnObject('command', input);
  const type = input['type'];
  try {
    switch (type) {
      case 'user_reply': {
        const text = requireString(input, ['text']);
        if (text.length > MAX_REPLY_TEXT_LENGTH)
          throw new FieldError('text', `field "text" exceeds ${MAX_REPLY_TEXT_LENGTH} characters`);
        const resumeToken = requireString(input, ['resume_token'], { allowEmpty: false });
        // A structured answer (a form's JSON, an approval's {approved, reason}) is kept as sent.
        const value = input['value'];
        return ok(
          value === undefined
            ? { type, text, resume_token: resumeToken }
            : { type, text, resume_token: resumeToken, value },
        );
      }
      case 'cancel':
        return ok({ type });
      case 'resume': {
        const after = input['after_seq'];
        if (!isCount(after, 0)) throw invalid('after_seq', 'a non-negative integer', excerptJson(after));
        return ok({ type, after_seq: after });
      }
      case 'ping': {
        const id = optionalString(input, ['id']);
        return ok(id === undefined ? { type } : { type, id });
      }
      default:
        return fail(
          new ProtocolError(
            'bad_command',
            `unknown command type ${excerptJson(type)}; expected user_reply, cancel, resume or ping`,
            {
              field: 'type',
              excerpt: excerptJson(input),
            },
          ),
        );
    }
  } catch (err) {
    return fail(toProtocolError(err, input, String(type)));
  }
}

/** A decoded snapshot, and whether it came from an agentwire (sequenced) server or a plain task API. */
export interface DecodedSnapshot {
  snapshot: RunSnapshot;
  /** False for plain task JSON (`{task_id, status, progress, result}`), which has no `last_seq`. */
  sequenced: boolean;
}

/**
 * Decode `GET /api/runs/{id}`: agentwire's RunSnapshot, or a plain server's task JSON
 * `{"task_id":"t-1","status":"done","progress":100,"result":…}` normalised to the same shape.
 */
export function decodeSnapshot(input: unknown, hint: DecodeHint = {}): DecodeResult<DecodedSnapshot> {
  if (!isObject(input)) return notAnObject('snapshot', input);
  const serverError = errorBody(input);
  if (serverError !== undefined) return fail(serverError);
  try {
    const runId = readRunId(input, hint) ?? '';
    const { state, label } = readStateWord(input);
    const sequenced = input['last_seq'] !== undefined;
    const progressRaw = input['progress'];
    const progress = isObject(progressRaw)
      ? { pct: readPct(progressRaw), message: optionalString(progressRaw, ['message']) ?? null }
      : { pct: readPct(input), message: optionalString(input, ['message']) ?? null };
    if (!sequenced) {
      // A task that failed may say why (`"error": "disk full"`): that is how it finished.
      const why = errorText(input['error']);
      const result: DoneEvent | null =
        state === 'done' || state === 'failed' || state === 'cancelled'
          ? {
              type: 'done',
              run_id: runId,
              state: state === 'done' ? 'completed' : state,
              ...(input['result'] !== undefined && { result: input['result'] }),
              ...(state !== 'done' && why !== undefined && { finish_reason: why }),
            }
          : null;
      return ok({ sequenced, snapshot: { ...emptySnapshot(runId, state, label, progress), result } });
    }
    const lastSeq = input['last_seq'];
    if (!isCount(lastSeq, 0)) throw invalid('last_seq', 'a non-negative integer', excerptJson(lastSeq));
    const messages = decodeArray(input, 'messages', (m, i) => {
      if (!isObject(m)) throw new FieldError(`messages[${i}]`, 'must be an object');
      const message = { message_id: requireString(m, ['message_id']), text: requireString(m, ['text']) };
      return m['role'] === undefined || m['role'] === null
        ? message
        : { ...message, role: oneOf(`messages[${i}].role`, m['role'], MESSAGE_ROLES) };
    });
    const reasoning = decodeArray(input, 'reasoning', (m, i) => {
      if (!isObject(m)) throw new FieldError(`reasoning[${i}]`, 'must be an object');
      return { message_id: requireString(m, ['message_id']), text: requireString(m, ['text']) };
    });
    const log = decodeArray(input, 'log', (e, i) => {
      const decoded = decodeEvent(e, { runId });
      if (!decoded.ok) throw new FieldError(`log[${i}]`, decoded.error.message);
      if (!isLogEvent(decoded.value))
        throw new FieldError(`log[${i}]`, `a ${decoded.value.type} event does not belong in the log`);
      return decoded.value;
    });
    const toolStreams = decodeArray(input, 'tool_streams', (t, i) => {
      if (!isObject(t)) throw new FieldError(`tool_streams[${i}]`, 'must be an object');
      const name = optionalString(t, ['name']);
      return {
        call_id: requireString(t, ['call_id'], { allowEmpty: false }),
        args: requireString(t, ['args']),
        ...(name !== undefined && { name }),
      };
    });
    const pending = decodeNested(input, 'pending_input', 'need_input', runId);
    const pendingAll =
      input['pending_inputs'] === undefined || input['pending_inputs'] === null
        ? pending === null
          ? []
          : [pending]
        : decodeArray(input, 'pending_inputs', (e, i) => nestedEvent(e, `pending_inputs[${i}]`, 'need_input', runId));
    const usageRaw = input['usage'];
    const usage = isObject(usageRaw) ? readUsage(usageRaw) : null;
    const sources = decodeArray(input, 'sources', (e, i) => nestedEvent(e, `sources[${i}]`, 'source', runId));
    const snapshot: RunSnapshot = {
      ...emptySnapshot(runId, state, optionalString(input, ['status_label']) ?? label, progress),
      messages,
      reasoning,
      log,
      tool_streams: toolStreams,
      pending_input: pendingAll[0] ?? null,
      pending_inputs: pendingAll,
      usage,
      sources,
      result: decodeNested(input, 'result', 'done', runId),
      last_seq: lastSeq,
    };
    if (input['agent_state'] !== undefined) snapshot.agent_state = input['agent_state'];
    // Advisory (how the client reads the server's clock): one that is not a time is left out, the snapshot stays.
    let served: string | undefined;
    try {
      served = readAt(input, ['server_time']);
    } catch {
      served = undefined;
    }
    if (served !== undefined) snapshot.server_time = served;
    return ok({ sequenced, snapshot });
  } catch (err) {
    return fail(toProtocolError(err, input, 'snapshot'));
  }
}

/** A snapshot with nothing in it but its run, state and progress: every list empty, as `toSnapshot` writes them. */
function emptySnapshot(
  runId: string,
  state: RunState,
  label: string | null,
  progress: RunSnapshot['progress'],
): RunSnapshot {
  return {
    run_id: runId,
    state,
    status_label: label,
    progress,
    messages: [],
    reasoning: [],
    log: [],
    tool_streams: [],
    pending_input: null,
    pending_inputs: [],
    usage: null,
    sources: [],
    result: null,
    last_seq: 0,
  };
}

/** The text of a plain server's `error` field: a string, or an object's `message`. */
function errorText(error: unknown): string | undefined {
  if (typeof error === 'string' && error !== '') return error;
  return isObject(error) && typeof error['message'] === 'string' ? error['message'] : undefined;
}

/** A state word (under `state` or `status`) as a RunState, and the word itself when it is not one (see `readStatus`). */
function readStateWord(obj: Json): { state: RunState; label: string | null } {
  const found = pick(obj, ['state', 'status']);
  if (!found || found[1] === null) return { state: 'queued', label: null };
  const status = readStatus({ state: found[1] }, {});
  return { state: status.state, label: status.label ?? null };
}

/**
 * A plain server's error answer where a body was expected: `{"error": "not found"}` or
 * `{"error": {"message": …}}` without the fields of a run (answered with a 200 all the same).
 */
function errorBody(obj: Json): ProtocolError | undefined {
  const error = obj['error'];
  if (error === undefined || error === null || obj['state'] !== undefined || obj['status'] !== undefined) {
    return undefined;
  }
  const message = errorText(error) ?? excerptJson(error);
  return new ProtocolError('server_error', `the server answered with an error: ${message}`, {
    excerpt: excerptJson(obj),
  });
}

function decodeArray<T>(obj: Json, key: string, each: (item: unknown, index: number) => T): T[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(key, 'an array', describe(value));
  return value.map(each);
}

function decodeNested<K extends 'need_input' | 'done'>(
  obj: Json,
  key: string,
  type: K,
  runId: string,
): Extract<RunEvent, { type: K }> | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  return nestedEvent(value, key, type, runId);
}

/** An event nested in a snapshot (its `type` may be left out). */
function nestedEvent<K extends RunEvent['type']>(
  value: unknown,
  field: string,
  type: K,
  runId: string,
): Extract<RunEvent, { type: K }> {
  const decoded = decodeEvent(isObject(value) ? { type, ...value } : value, { runId });
  if (!decoded.ok) throw new FieldError(field, decoded.error.message);
  if (decoded.value.type !== type) throw new FieldError(field, `must be a ${type} event`);
  return decoded.value as Extract<RunEvent, { type: K }>;
}

/** Decode the answer of `GET /api/runs/{id}/events?after=N`. Malformed events inside are reported, not dropped silently. */
export function decodeEventsPage(
  input: unknown,
  hint: DecodeHint = {},
): DecodeResult<EventsPage & { errors: ProtocolError[] }> {
  if (!isObject(input)) return notAnObject('events page', input);
  try {
    const runId = readRunId(input, hint) ?? '';
    const raw = input['events'];
    if (!Array.isArray(raw)) throw invalid('events', 'an array', describe(raw));
    const events: RunEvent[] = [];
    const errors: ProtocolError[] = [];
    for (const item of raw) {
      const decoded = decodeEvent(item, { runId });
      if (decoded.ok) events.push(decoded.value);
      else errors.push(decoded.error);
    }
    const lastSeq = input['last_seq'];
    const state = enumField(input, ['state', 'status'], RUN_STATES, RUN_STATE_ALIASES, 'running');
    return ok({
      run_id: runId,
      events,
      errors,
      last_seq: typeof lastSeq === 'number' && Number.isSafeInteger(lastSeq) ? lastSeq : (events.at(-1)?.seq ?? 0),
      state,
    });
  } catch (err) {
    return fail(toProtocolError(err, input, 'events page'));
  }
}

/**
 * Decode `GET /api/threads/{id}`: a conversation's runs and messages. A message without a role is
 * the assistant's; a server error object (`{"error": …}`) is a `server_error`.
 */
export function decodeThread(input: unknown): DecodeResult<ThreadSnapshot> {
  if (!isObject(input)) return notAnObject('thread', input);
  if (input['error'] !== undefined && input['error'] !== null && input['thread_id'] === undefined) {
    const message = errorText(input['error']) ?? excerptJson(input['error']);
    return fail(
      new ProtocolError('server_error', `the server answered with an error: ${message}`, {
        excerpt: excerptJson(input),
      }),
    );
  }
  try {
    const threadId = requireString(input, ['thread_id', 'threadId', 'id'], { allowEmpty: false });
    const runs = decodeArray(input, 'runs', (r, i) => {
      if (!isObject(r)) throw new FieldError(`runs[${i}]`, 'must be an object');
      const createdAt = optionalString(r, ['created_at']);
      return {
        run_id: requireString(r, ['run_id'], { allowEmpty: false }),
        state: enumField(r, ['state', 'status'], RUN_STATES, RUN_STATE_ALIASES, 'running'),
        ...(createdAt !== undefined && { created_at: createdAt }),
      };
    });
    const messages = decodeArray(input, 'messages', (m, i) => {
      if (!isObject(m)) throw new FieldError(`messages[${i}]`, 'must be an object');
      return {
        message_id: requireString(m, ['message_id', 'id'], { allowEmpty: false }),
        run_id: requireString(m, ['run_id']),
        role:
          m['role'] === undefined || m['role'] === null
            ? 'assistant'
            : oneOf(`messages[${i}].role`, m['role'], MESSAGE_ROLES),
        text: requireString(m, ['text', 'content']),
      };
    });
    return ok({ thread_id: threadId, runs, messages });
  } catch (err) {
    return fail(toProtocolError(err, input, 'thread'));
  }
}
