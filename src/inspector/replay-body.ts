/**
 * A recording as the body of the mock server's `replay` scenario (`POST /api/runs`), so a bug
 * report can carry the run that reproduces it: the recorded events, once each in seq order, with
 * the recorded pauses between them. Questions are asked again (the person reproducing answers);
 * what the server adds itself — the `status waiting` after a question, `input_accepted` — is left
 * to it. Events only a snapshot brought (a gap closed by a rebuild) are not in a recording's
 * events, so they are not replayed.
 */
import type { RunEvent } from '../protocol/index.ts';
import { stampOf } from './entry.ts';
import type { Recording } from './recording.ts';
import { replayInputs } from './replay.ts';

/** Longest pause kept between two replayed events, ms. */
export const MAX_REPLAY_PAUSE_MS = 10_000;

/** One event of the `replay` scenario, and the pause before it. */
export interface ReplayStep {
  readonly after_ms: number;
  readonly event: Record<string, unknown> & { type: string };
}

/** The body of `POST /api/runs` that replays a recording on the mock server. */
export interface ReplayRequestBody {
  readonly scenario: 'replay';
  readonly replay: { readonly events: readonly ReplayStep[] };
}

/** Build the `replay` scenario's body from a recording. */
export function replayRequestBody(recording: Recording): ReplayRequestBody {
  const seen = new Set<number>();
  const found: { event: RunEvent; at: number }[] = [];
  for (const entry of replayInputs(recording)) {
    const data = entry.data;
    if (!data || !('event' in data)) continue;
    const seq = data.event.seq;
    if (seq !== undefined) {
      if (seen.has(seq)) continue;
      seen.add(seq);
    }
    found.push({ event: data.event, at: entry.at });
  }
  found.sort((a, b) => (a.event.seq ?? 0) - (b.event.seq ?? 0));
  const events: ReplayStep[] = [];
  let previous: { event: RunEvent; at: number } | undefined;
  let afterQuestion = false;
  for (const item of found) {
    const { event } = item;
    const skip =
      event.type === 'input_accepted' || (afterQuestion && event.type === 'status' && event.state === 'waiting');
    afterQuestion = event.type === 'need_input';
    if (skip) continue;
    const stamped = previous && stampOf(event) !== null && stampOf(previous.event) !== null;
    const pause = previous ? (stamped ? stampOf(event)! - stampOf(previous.event)! : item.at - previous.at) : 0;
    previous = item;
    const { run_id: _run, seq: _seq, at: _at, ...body } = event as RunEvent & Record<string, unknown>;
    events.push({
      after_ms: Math.round(Math.min(MAX_REPLAY_PAUSE_MS, Math.max(0, pause))),
      event: body,
    });
  }
  return { scenario: 'replay', replay: { events } };
}
