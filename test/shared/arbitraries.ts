/** fast-check arbitraries for the wire protocol: valid events, event-like junk, and whole server runs. */
import fc from 'fast-check';
import {
  DONE_STATES,
  KNOWN_EVENT_TYPES,
  LOG_LEVELS,
  MESSAGE_ROLES,
  REQUEST_KINDS,
  RUN_STATES,
  STEP_STATES,
  type RunEvent,
  type SequencedEvent,
} from '../../src/protocol/index.ts';

/** An event body without run_id and seq. */
export type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'run_id' | 'seq'> : never) : never;

/** Any text, including astral characters, NUL, CR and LF. */
export const anyText = (maxLength = 24): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });
/** Non-empty text. */
const someText = (maxLength = 24): fc.Arbitrary<string> => fc.string({ unit: 'binary', minLength: 1, maxLength });
/** JSON without null at the top (args and results), as it comes back from the wire (no -0). */
const jsonData = fc
  .jsonValue({ maxDepth: 2 })
  .filter((v) => v !== null)
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);
/** Names that are keys of every object's prototype: a decoder must never take them for aliases. */
export const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
] as const;

/** Type names the decoder treats as unknown (not known, not an alias). */
const unknownType = fc
  .oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(...PROTOTYPE_NAMES))
  .filter(
    (t) =>
      !(KNOWN_EVENT_TYPES as readonly string[]).includes(t) &&
      ![
        'delta',
        'text',
        'message',
        'result',
        'complete',
        'completed',
        'end',
        'unknown',
        'pong',
        'command_error',
      ].includes(t),
  );

/** A valid token body. */
export const tokenBody: fc.Arbitrary<EventBody> = fc.record(
  { type: fc.constant('token' as const), content: anyText(12), message_id: fc.constantFrom('m1', 'm2', 'm3') },
  { requiredKeys: ['type', 'content'] },
);

/** A JSON object (a structured tool result, a schema). */
const jsonObject = fc
  .dictionary(fc.string({ minLength: 1, maxLength: 6 }), jsonData, { maxKeys: 3 })
  .map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);
/** A server time, as the decoder normalises it. */
const isoTime = fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString());

/** A valid event body of the types agent backends add (reasoning, tool argument pieces, usage, sources, state, turns). */
export const agentEventBody: fc.Arbitrary<EventBody> = fc.oneof(
  fc.record(
    {
      type: fc.constant('message' as const),
      message_id: fc.constantFrom('m1', 'm2', 'u1'),
      role: fc.constantFrom(...MESSAGE_ROLES),
      content: anyText(12),
    },
    { requiredKeys: ['type', 'message_id', 'role'] },
  ),
  fc.record(
    { type: fc.constant('reasoning' as const), content: anyText(12), message_id: fc.constantFrom('m1', 'm2') },
    { requiredKeys: ['type', 'content'] },
  ),
  fc.record({ type: fc.constant('message_reset' as const), message_id: fc.constantFrom('m1', 'm2', 'm3') }),
  fc.record(
    {
      type: fc.constant('tool_call_delta' as const),
      call_id: fc.constantFrom('c1', 'c2'),
      name: someText(6),
      delta: anyText(8),
    },
    { requiredKeys: ['type', 'call_id', 'delta'] },
  ),
  fc.record(
    {
      type: fc.constant('usage' as const),
      input_tokens: fc.nat(1e6),
      output_tokens: fc.nat(1e6),
      reasoning_tokens: fc.nat(1e6),
      total_tokens: fc.nat(2e6),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constant('source' as const),
      source_id: someText(8),
      url: anyText(16),
      title: anyText(),
      message_id: fc.constantFrom('m1', 'm2'),
    },
    { requiredKeys: ['type', 'source_id'] },
  ),
  fc.record({ type: fc.constant('agent_state' as const), state: jsonData }),
);

/** A valid event body of any known type but token and done. */
export const otherEventBody: fc.Arbitrary<EventBody> = fc.oneof(
  fc.record(
    { type: fc.constant('status' as const), state: fc.constantFrom(...RUN_STATES), label: someText(8) },
    { requiredKeys: ['type', 'state'] },
  ),
  fc.record(
    {
      type: fc.constant('progress' as const),
      pct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      message: anyText(),
    },
    { requiredKeys: ['type', 'pct'] },
  ),
  fc.record({ type: fc.constant('log' as const), level: fc.constantFrom(...LOG_LEVELS), message: anyText() }),
  fc.record(
    { type: fc.constant('step' as const), name: anyText(), state: fc.constantFrom(...STEP_STATES) },
    { requiredKeys: ['type', 'name'] },
  ),
  fc.record(
    { type: fc.constant('tool_call' as const), call_id: someText(6), name: someText(), args: jsonData },
    { requiredKeys: ['type', 'name', 'args'] },
  ),
  fc.record(
    {
      type: fc.constant('tool_result' as const),
      call_id: someText(6),
      summary: anyText(),
      ok: fc.boolean(),
      result: jsonObject,
    },
    { requiredKeys: ['type', 'summary'] },
  ),
  fc.record(
    {
      type: fc.constant('need_input' as const),
      prompt: anyText(),
      resume_token: someText(10),
      expires_at: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
      choices: fc.array(anyText(8), { minLength: 1, maxLength: 3 }),
      kind: fc.constantFrom(...REQUEST_KINDS),
      tool_call_id: someText(6),
      response_schema: jsonObject,
      automatic: fc.boolean(),
      at: isoTime,
    },
    { requiredKeys: ['type', 'prompt', 'resume_token'] },
  ),
  fc.record(
    { type: fc.constant('input_accepted' as const), resume_token: someText(10), text: anyText(8), value: jsonData },
    { requiredKeys: ['type', 'resume_token'] },
  ),
  agentEventBody,
  fc.record(
    { type: fc.constant('error' as const), message: anyText(), code: someText(8), retryable: fc.boolean() },
    { requiredKeys: ['type', 'message'] },
  ),
);

/** A valid done body. */
export const doneBody: fc.Arbitrary<EventBody> = fc.record(
  {
    type: fc.constant('done' as const),
    state: fc.constantFrom(...DONE_STATES),
    result: jsonData,
    finish_reason: anyText(8),
  },
  { requiredKeys: ['type', 'state'] },
);

/** A valid event body of any known type (as a server would write it, in decoded form). */
export const knownEventBody: fc.Arbitrary<EventBody> = fc.oneof(tokenBody, otherEventBody, doneBody);

/** An unknown event body: a type this version does not know with raw data. */
export const unknownEventBody: fc.Arbitrary<EventBody> = fc.record({
  type: fc.constant('unknown' as const),
  event_type: unknownType,
  data: fc.dictionary(
    fc.string({ maxLength: 6 }).filter((k) => !['type', 'run_id', 'seq', '__proto__'].includes(k)),
    jsonData,
    { maxKeys: 3 },
  ),
});

/** Any valid event body. */
export const eventBody: fc.Arbitrary<EventBody> = fc.oneof(
  { weight: 9, arbitrary: knownEventBody },
  { weight: 1, arbitrary: unknownEventBody },
);

/** Every field name the decoders read, so junk objects exercise every validation path. */
const FIELD_NAMES = [
  'type',
  'run_id',
  'task_id',
  'seq',
  'state',
  'status',
  'pct',
  'progress',
  'percent',
  'message',
  'msg',
  'content',
  'delta',
  'token',
  'text',
  'message_id',
  'level',
  'name',
  'step',
  'call_id',
  'id',
  'tool',
  'args',
  'arguments',
  'input',
  'summary',
  'result',
  'output',
  'ok',
  'prompt',
  'question',
  'resume_token',
  'expires_at',
  'choices',
  'options',
  'code',
  'retryable',
  'finish_reason',
  'after_seq',
  'last_seq',
  'messages',
  'log',
  'pending_input',
  'events',
  'error',
  'detail',
];

const junkValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    ...KNOWN_EVENT_TYPES,
    ...RUN_STATES,
    ...DONE_STATES,
    ...PROTOTYPE_NAMES,
    'user_reply',
    'cancel',
    'resume',
    'ping',
    'pong',
    'command_error',
    '',
    -1,
    0,
    1.5,
    2 ** 53,
  ),
);

/** A JSON object that looks like an event, command or snapshot, with any mix of valid and invalid fields. */
export const eventish: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ obj: Record<string, unknown> }>((tie) => ({
  obj: fc.dictionary(
    fc.constantFrom(...FIELD_NAMES),
    fc.oneof({ depthSize: 'small', maxDepth: 2 }, junkValue, fc.array(tie('obj'), { maxLength: 3 }), tie('obj')),
    { maxKeys: 8 },
  ),
})).obj;

/** Arbitrary JSON (valid) of any shape, biased towards event-like objects. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue(), eventish);

/** A whole server run: `length` events with seq 1..n, tokens in good supply. */
export function serverRun(runId = 'r1', maxLength = 40): fc.Arbitrary<SequencedEvent[]> {
  const body = fc.oneof(
    { weight: 4, arbitrary: tokenBody },
    { weight: 3, arbitrary: otherEventBody },
    { weight: 1, arbitrary: unknownEventBody },
  );
  return fc
    .array(body, { minLength: 1, maxLength })
    .map((bodies) => bodies.map((b, i) => ({ ...b, run_id: runId, seq: i + 1 })));
}
