/**
 * The `replay` scenario: plays the events of a recording (`replayRequestBody` of
 * agentwire/inspector builds the body) with their recorded pauses, so a bug report can carry the
 * run that reproduces it. A recorded question is asked again (the run waits for an answer); the
 * server's own `status waiting` and `input_accepted` come from the kit, as they did.
 */
import { HttpError } from './errors.ts';
import { ask, emit, sleep, type EventBody, type Script } from './script.ts';

/** Most events a replay body may hold. */
export const MAX_REPLAY_EVENTS = 10_000;
/** Longest pause before one replayed event, ms. */
export const MAX_REPLAY_STEP_MS = 60_000;

/** A validated replay: each event with the pause before it. */
export interface ReplayPlan {
  readonly events: readonly { readonly afterMs: number; readonly event: EventBody }[];
}

const invalid = (field: string, message: string): HttpError =>
  new HttpError(400, 'invalid_body', `field "${field}" ${message}`, { field });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Read the `replay` field of a create body; throws HttpError 400 naming the field at fault. */
export function parseReplay(raw: unknown): ReplayPlan {
  if (!isRecord(raw) || !Array.isArray(raw['events'])) throw invalid('replay', 'must be {events: [...]}');
  const events = raw['events'];
  if (events.length > MAX_REPLAY_EVENTS)
    throw invalid('replay.events', `must hold at most ${MAX_REPLAY_EVENTS} events`);
  return {
    events: events.map((step: unknown, i) => {
      const field = `replay.events[${i}]`;
      if (!isRecord(step)) throw invalid(field, 'must be {after_ms, event}');
      const afterMs = step['after_ms'];
      if (typeof afterMs !== 'number' || !Number.isFinite(afterMs) || afterMs < 0 || afterMs > MAX_REPLAY_STEP_MS)
        throw invalid(`${field}.after_ms`, `must be a number of ms between 0 and ${MAX_REPLAY_STEP_MS}`);
      const event = step['event'];
      if (!isRecord(event) || typeof event['type'] !== 'string' || event['type'] === '')
        throw invalid(`${field}.event`, 'must be an event object with a "type"');
      if (event['type'] === 'input_accepted') throw invalid(`${field}.event`, 'input_accepted is the server’s to emit');
      if (event['type'] === 'need_input' && typeof event['prompt'] !== 'string')
        throw invalid(`${field}.event.prompt`, 'must be a string');
      return { afterMs, event: event as unknown as EventBody };
    }),
  };
}

/** The script of a replay: pause, emit (or ask again), in the recorded order. */
export function* replayScript(plan: ReplayPlan): Script {
  for (const { afterMs, event } of plan.events) {
    if (afterMs > 0) yield sleep(afterMs);
    if (event.type === 'need_input') {
      const choices = Array.isArray(event.choices) ? event.choices.filter((c) => typeof c === 'string') : undefined;
      yield* ask({ prompt: event.prompt, ...(choices && { choices }) });
      continue;
    }
    yield emit({ ...event });
  }
}
