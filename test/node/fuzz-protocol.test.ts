/**
 * Fuzz: the decoders never throw on arbitrary (JSON) input; they return a typed value whose
 * fields have the promised types, or a typed ProtocolError. Valid events survive the wire
 * unchanged (encode → decode), and the wire form of any event is a fixpoint.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DONE_STATES,
  KNOWN_EVENT_TYPES,
  LOG_LEVELS,
  MESSAGE_ROLES,
  MAX_ERROR_EXCERPT,
  ProtocolError,
  RUN_STATES,
  STEP_STATES,
  decodeCommand,
  decodeEvent,
  decodeEventText,
  decodeEventsPage,
  decodeServerMessage,
  decodeSnapshot,
  encodeEventJson,
  encodeSseEvent,
  encodeWsMessage,
  isLogEvent,
  parseJson,
  type ClientCommand,
  type DecodeResult,
  type RunEvent,
  type RunSnapshot,
} from '../../src/protocol/index.ts';
import { createEventStreamDecoder } from '../../src/transports/event-stream-decoder.ts';
import { anyJson, eventBody, knownEventBody, unknownEventBody } from '../shared/arbitraries.ts';
import { fuzzParams } from '../shared/fuzz.ts';

const ERROR_CODES = [
  'malformed_json',
  'not_an_object',
  'missing_type',
  'invalid_field',
  'oversized',
  'bad_command',
  'server_error',
];

/** A decoder never throws; on failure it gives a ProtocolError with a known code and a bounded excerpt. */
function checked<T>(decode: () => DecodeResult<T>): T | undefined {
  let result: DecodeResult<T>;
  try {
    result = decode();
  } catch (err) {
    assert.fail(`the decoder threw: ${String(err)}`);
  }
  if (result.ok) return result.value;
  const { error } = result;
  assert.ok(error instanceof ProtocolError, 'a ProtocolError');
  assert.ok(ERROR_CODES.includes(error.code), `known code ${error.code}`);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.field === undefined || typeof error.field === 'string');
  assert.ok(error.excerpt === undefined || error.excerpt.length <= MAX_ERROR_EXCERPT + 1, 'bounded excerpt');
  return undefined;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);

/** Every field of a decoded event has the type its interface promises. */
function assertTypedEvent(event: RunEvent): void {
  assert.ok(
    optional(event.seq, (s) => Number.isSafeInteger(s) && (s as number) >= 1),
    'seq',
  );
  assert.ok(optional(event.run_id, isString), 'run_id');
  switch (event.type) {
    case 'status':
      assert.ok(RUN_STATES.includes(event.state));
      return;
    case 'progress':
      assert.ok(event.pct === null || (Number.isFinite(event.pct) && event.pct >= 0 && event.pct <= 100));
      assert.ok(optional(event.message, isString));
      return;
    case 'token':
      assert.ok(isString(event.content) && optional(event.message_id, isString));
      return;
    case 'log':
      assert.ok(LOG_LEVELS.includes(event.level) && isString(event.message));
      return;
    case 'step':
      assert.ok(isString(event.name) && optional(event.state, (s) => STEP_STATES.includes(s as never)));
      return;
    case 'tool_call':
      assert.ok(
        isString(event.name) && event.name !== '' && optional(event.call_id, isString) && event.args !== undefined,
      );
      return;
    case 'tool_result':
      assert.ok(
        isString(event.summary) &&
          optional(event.call_id, isString) &&
          optional(event.ok, (o) => typeof o === 'boolean'),
      );
      return;
    case 'need_input':
      // '' when the server gave no resume_token (a plain server): the reducer makes one up.
      assert.ok(isString(event.prompt) && isString(event.resume_token));
      assert.ok(optional(event.kind, (k) => k === 'input' || k === 'approval'));
      assert.ok(optional(event.tool_call_id, isString) && optional(event.automatic, (a) => typeof a === 'boolean'));
      assert.ok(optional(event.response_schema, (s) => typeof s === 'object' && s !== null && !Array.isArray(s)));
      assert.ok(optional(event.expires_at, (e) => isString(e) && Number.isFinite(Date.parse(e))));
      assert.ok(optional(event.choices, (c) => Array.isArray(c) && c.length > 0 && c.every(isString)));
      return;
    case 'input_accepted':
      assert.ok(isString(event.resume_token) && event.resume_token !== '' && optional(event.text, isString));
      return;
    case 'message':
      assert.ok(isString(event.message_id) && event.message_id !== '' && MESSAGE_ROLES.includes(event.role));
      assert.ok(optional(event.content, isString));
      return;
    case 'reasoning':
      assert.ok(isString(event.content) && optional(event.message_id, isString));
      return;
    case 'message_reset':
      assert.ok(isString(event.message_id) && event.message_id !== '');
      return;
    case 'tool_call_delta':
      assert.ok(
        isString(event.call_id) && event.call_id !== '' && isString(event.delta) && optional(event.name, isString),
      );
      return;
    case 'usage':
      for (const n of [event.input_tokens, event.output_tokens, event.reasoning_tokens, event.total_tokens]) {
        assert.ok(optional(n, (v) => Number.isSafeInteger(v) && (v as number) >= 0));
      }
      return;
    case 'source':
      assert.ok(isString(event.source_id) && event.source_id !== '' && optional(event.url, isString));
      assert.ok(optional(event.title, isString) && optional(event.message_id, isString));
      return;
    case 'agent_state':
      assert.ok(event.state !== undefined);
      return;
    case 'error':
      assert.ok(
        isString(event.message) &&
          optional(event.code, isString) &&
          optional(event.retryable, (r) => typeof r === 'boolean'),
      );
      return;
    case 'done':
      assert.ok(DONE_STATES.includes(event.state) && optional(event.finish_reason, isString));
      return;
    case 'unknown':
      assert.ok(isString(event.event_type) && !(KNOWN_EVENT_TYPES as readonly string[]).includes(event.event_type));
      return;
    default: {
      const never: never = event;
      assert.fail(`unexpected event ${JSON.stringify(never)}`);
    }
  }
}

function assertTypedCommand(command: ClientCommand): void {
  switch (command.type) {
    case 'user_reply':
      assert.ok(isString(command.text) && isString(command.resume_token) && command.resume_token !== '');
      return;
    case 'resume':
      assert.ok(Number.isSafeInteger(command.after_seq) && command.after_seq >= 0);
      return;
    case 'ping':
      assert.ok(optional(command.id, isString));
      return;
    case 'cancel':
      return;
  }
}

function assertTypedSnapshot(snapshot: RunSnapshot): void {
  assert.ok(isString(snapshot.run_id) && RUN_STATES.includes(snapshot.state));
  assert.ok(Number.isSafeInteger(snapshot.last_seq) && snapshot.last_seq >= 0);
  assert.ok(snapshot.progress.pct === null || Number.isFinite(snapshot.progress.pct));
  for (const m of snapshot.messages) assert.ok(isString(m.message_id) && isString(m.text));
  for (const e of snapshot.log) {
    assertTypedEvent(e);
    assert.ok(isLogEvent(e), 'only log events in the log');
  }
  if (snapshot.pending_input) assert.equal(snapshot.pending_input.type, 'need_input');
  if (snapshot.result) assert.equal(snapshot.result.type, 'done');
}

describe('fuzz: decoders never throw and return typed values or typed errors', () => {
  it('decodeEvent / decodeServerMessage on arbitrary JSON', () => {
    fc.assert(
      fc.property(
        anyJson,
        fc.option(fc.constantFrom('token', 'status', 'message', 'thinking', ''), { nil: undefined }),
        (json, eventName) => {
          const hint = eventName === undefined ? {} : { eventName, runId: 'r1' };
          const event = checked(() => decodeEvent(json, hint));
          if (event) assertTypedEvent(event);
          const message = checked(() => decodeServerMessage(JSON.stringify(json), hint));
          if (message && message.type !== 'pong' && message.type !== 'command_error') assertTypedEvent(message);
        },
      ),
      fuzzParams(1500),
    );
  });

  it('decodeCommand on arbitrary JSON', () => {
    fc.assert(
      fc.property(
        anyJson,
        fc.constantFrom('user_reply', 'cancel', 'resume', 'ping', 'launch', undefined),
        (json, type) => {
          const input =
            type !== undefined && typeof json === 'object' && json !== null && !Array.isArray(json)
              ? { ...json, type }
              : json;
          const command = checked(() => decodeCommand(input));
          if (command) assertTypedCommand(command);
        },
      ),
      fuzzParams(1500),
    );
  });

  it('decodeSnapshot / decodeEventsPage on arbitrary JSON, and on snapshots holding arbitrary events', () => {
    const snapshotish = fc.record(
      {
        run_id: fc.oneof(fc.string(), fc.jsonValue()),
        state: fc.oneof(fc.constantFrom(...RUN_STATES, 'bogus'), fc.jsonValue()),
        last_seq: fc.oneof(fc.nat(), fc.jsonValue()),
        messages: fc.array(fc.oneof(fc.record({ message_id: fc.string(), text: fc.string() }), anyJson), {
          maxLength: 3,
        }),
        log: fc.array(
          fc.oneof(
            eventBody.map((b) => JSON.parse(encodeEventJson(b as RunEvent)) as unknown),
            anyJson,
          ),
          { maxLength: 4 },
        ),
        pending_input: fc.oneof(fc.constant(null), anyJson),
        result: fc.oneof(fc.constant(null), anyJson),
        events: fc.array(anyJson, { maxLength: 4 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(anyJson, snapshotish), (json) => {
        const snapshot = checked(() => decodeSnapshot(json, { runId: 'r1' }));
        if (snapshot) assertTypedSnapshot(snapshot.snapshot);
        const page = checked(() => decodeEventsPage(json, { runId: 'r1' }));
        if (page) {
          page.events.forEach(assertTypedEvent);
          page.errors.forEach((e) => assert.ok(e instanceof ProtocolError));
          assert.ok(Number.isSafeInteger(page.last_seq) && RUN_STATES.includes(page.state));
        }
      }),
      fuzzParams(800),
    );
  });

  it('parseJson / decodeEventText on arbitrary text (not JSON, huge, truncated)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
      fc.json(),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 100 }), (input, limit) => {
        checked(() => parseJson(input, limit));
        const event = checked(() => decodeEventText(input, { eventName: 'message' }));
        if (event) assertTypedEvent(event);
      }),
      fuzzParams(2000),
    );
  });
});

describe('fuzz: events survive the wire', () => {
  it('a known event decodes to itself from its JSON, its WebSocket message and its SSE frame', () => {
    fc.assert(
      fc.property(knownEventBody, fc.integer({ min: 1, max: 2 ** 40 }), (body, seq) => {
        const event = { ...body, run_id: 'r1', seq } as RunEvent;
        const fromJson = checked(() => decodeEventText(encodeEventJson(event)));
        assert.deepEqual(fromJson, event);
        assert.deepEqual(
          checked(() => decodeServerMessage(encodeWsMessage(event))),
          event,
        );
        const frames: RunEvent[] = [];
        const decoder = createEventStreamDecoder(({ type, data }) => {
          const decoded = checked(() => decodeEventText(data, { eventName: type }));
          if (decoded) frames.push(decoded);
        });
        decoder.push(encodeSseEvent(event));
        assert.deepEqual(frames, [event]);
        assert.equal(decoder.lastEventId, String(seq));
      }),
      fuzzParams(2000),
    );
  });

  it('the wire form of any event (unknown ones too) is a fixpoint: encode → decode → encode changes nothing', () => {
    fc.assert(
      fc.property(fc.oneof(knownEventBody, unknownEventBody), (body) => {
        const event = { ...body, run_id: 'r1', seq: 7 } as RunEvent;
        const once = checked(() => decodeEventText(encodeEventJson(event)));
        assert.ok(once);
        assert.equal(once.type, event.type);
        const twice = checked(() => decodeEventText(encodeEventJson(once)));
        assert.deepEqual(twice, once);
      }),
      fuzzParams(1500),
    );
  });
});
