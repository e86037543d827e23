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
  type StepState,
  type NeedInputEvent,
  type RunEvent,
  type RunSnapshot,
  type RunState,
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
  return undefined;
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

function decodeKnown(type: RunEvent['type'], obj: Json, base: { run_id?: string; seq?: number }): RunEvent {
  switch (type) {
    case 'status':
      return { type, ...base, state: enumField(obj, ['state', 'status'], RUN_STATES, RUN_STATE_ALIASES) };
    case 'progress': {
      const message = optionalString(obj, ['message', 'msg', 'label']);
      return { type, ...base, pct: readPct(obj), ...(message !== undefined && { message }) };
    }
    case 'token': {
      const messageId = optionalString(obj, ['message_id', 'messageId']);
      return {
        type,
        ...base,
        content: requireString(obj, ['content', 'delta', 'token', 'text']),
        ...(messageId !== undefined && { message_id: messageId }),
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
      return {
        type,
        ...base,
        ...(callId !== undefined && { call_id: callId }),
        summary,
        ...(okFlag !== undefined && { ok: okFlag }),
      };
    }
    case 'need_input': {
      const expires = readExpiresAt(obj);
      const choices = readChoices(obj);
      const event: NeedInputEvent = {
        type,
        ...base,
        prompt: requireString(obj, ['prompt', 'question', 'message']),
        resume_token: requireString(obj, ['resume_token', 'resumeToken'], { allowEmpty: false }),
      };
      if (expires !== undefined) event.expires_at = expires;
      if (choices !== undefined) event.choices = choices;
      return event;
    }
    case 'input_accepted':
      return {
        type,
        ...base,
        resume_token: requireString(obj, ['resume_token', 'resumeToken'], { allowEmpty: false }),
      };
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
      const event: DoneEvent = {
        type,
        ...base,
        state: enumField(obj, ['state', 'status'], DONE_STATES, DONE_STATE_ALIASES, 'completed'),
      };
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
    const base = { ...(runId !== undefined && { run_id: runId }), ...(seq !== undefined && { seq }) };
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
        return ok({ type, text, resume_token: requireString(input, ['resume_token'], { allowEmpty: false }) });
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
  try {
    const runId = readRunId(input, hint) ?? '';
    const state = enumField(input, ['state', 'status'], RUN_STATES, RUN_STATE_ALIASES, 'queued');
    const sequenced = input['last_seq'] !== undefined;
    const progressRaw = input['progress'];
    const progress = isObject(progressRaw)
      ? { pct: readPct(progressRaw), message: optionalString(progressRaw, ['message']) ?? null }
      : { pct: readPct(input), message: optionalString(input, ['message']) ?? null };
    if (!sequenced) {
      const result: DoneEvent | null =
        state === 'done' || state === 'failed' || state === 'cancelled'
          ? {
              type: 'done',
              run_id: runId,
              state: state === 'done' ? 'completed' : state,
              ...(input['result'] !== undefined && { result: input['result'] }),
            }
          : null;
      return ok({
        sequenced,
        snapshot: { run_id: runId, state, progress, messages: [], log: [], pending_input: null, result, last_seq: 0 },
      });
    }
    const lastSeq = input['last_seq'];
    if (!isCount(lastSeq, 0)) throw invalid('last_seq', 'a non-negative integer', excerptJson(lastSeq));
    const messages = decodeArray(input, 'messages', (m, i) => {
      if (!isObject(m)) throw new FieldError(`messages[${i}]`, 'must be an object');
      return { message_id: requireString(m, ['message_id']), text: requireString(m, ['text']) };
    });
    const log = decodeArray(input, 'log', (e, i) => {
      const decoded = decodeEvent(e, { runId });
      if (!decoded.ok) throw new FieldError(`log[${i}]`, decoded.error.message);
      if (!isLogEvent(decoded.value))
        throw new FieldError(`log[${i}]`, `a ${decoded.value.type} event does not belong in the log`);
      return decoded.value;
    });
    const pending = decodeNested(input, 'pending_input', 'need_input', runId);
    const result = decodeNested(input, 'result', 'done', runId);
    return ok({
      sequenced,
      snapshot: { run_id: runId, state, progress, messages, log, pending_input: pending, result, last_seq: lastSeq },
    });
  } catch (err) {
    return fail(toProtocolError(err, input, 'snapshot'));
  }
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
  const decoded = decodeEvent(isObject(value) ? { type, ...value } : value, { runId });
  if (!decoded.ok) throw new FieldError(key, decoded.error.message);
  if (decoded.value.type !== type) throw new FieldError(key, `must be a ${type} event`);
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
