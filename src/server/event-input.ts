/**
 * Events as producers hand them to the kit: checked against the protocol once, at the edge, and
 * normalised to the canonical field names, with every field the protocol does not know kept.
 */
import { KNOWN_EVENT_TYPES, decodeEvent } from '../protocol/index.ts';
import { RunKitError } from './errors.ts';
import type { EventBody } from './stored-event.ts';

/** An event for `ProducerRun.emit()`: any protocol event, without `run_id` and `seq` (the log sets them). */
export type EventInput = { type: string } & Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Check an event a producer emits and return the body to store: a fresh object with the
 * canonical fields of its type (src/protocol decides), the unknown fields kept, `run_id` and
 * `seq` left out. Throws RunKitError `invalid_event` naming the field when it does not decode.
 */
export function normalizeEvent(input: unknown): EventBody {
  if (!isRecord(input)) throw new RunKitError('invalid_event', 'an event must be a JSON object with a string "type"');
  const type = input['type'];
  if (typeof type !== 'string' || type === '')
    throw new RunKitError('invalid_event', 'an event must have a non-empty string "type"');
  // The hot path: a token with nothing else to check.
  if (
    type === 'token' &&
    typeof input['content'] === 'string' &&
    (input['message_id'] === undefined || typeof input['message_id'] === 'string')
  ) {
    const { run_id: _r, seq: _s, ...rest } = input;
    return rest as EventBody;
  }
  const { run_id: _runId, seq: _seq, ...rest } = input;
  const decoded = decodeEvent(rest);
  if (!decoded.ok) throw new RunKitError('invalid_event', decoded.error.message);
  const value = decoded.value;
  // An unknown type travels as it was given; a known one in its canonical form, extras kept.
  if (value.type === 'unknown') return rest as EventBody;
  const { run_id: _r, seq: _s, ...canonical } = value;
  return { ...rest, ...canonical };
}

/** True when `type` is an event type this version of the protocol knows. */
export function isKnownType(type: string): boolean {
  return (KNOWN_EVENT_TYPES as readonly string[]).includes(type);
}
