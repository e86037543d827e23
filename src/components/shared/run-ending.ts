/**
 * How a run ended, in words every element says the same way: its result as text, and why it
 * failed or was cancelled. Read by `<run-progress>`, `<token-stream>` and `<agent-log>`. Pure.
 */
import type { DoneEvent } from '../../protocol/index.ts';
import type { RunStatus, RunStoreState } from '../../store/index.ts';

/** How many of the last log entries are searched for the error that ended a run. */
const REASON_LOOKBACK = 50;

/** Longest result text shown (the rest is cut with an ellipsis). */
export const MAX_RESULT_TEXT = 300;

/** Words a plain server puts in `result` to say how the run ended: not a result to show. */
const ENDING_WORDS = new Set(['cancelled', 'canceled', 'failed', 'error', 'aborted']);

/** The states a run ends in. */
export type EndedStatus = Extract<RunStatus, 'done' | 'failed' | 'cancelled'>;

/** The status as an ending, or null while the run has not ended. */
export function endedStatus(status: RunStatus | undefined): EndedStatus | null {
  return status === 'done' || status === 'failed' || status === 'cancelled' ? status : null;
}

/** Why a run that failed or was cancelled ended: its last error's message, else a word from its `done`. */
export function endReason(state: Pick<RunStoreState, 'status' | 'log' | 'result'>): string | null {
  if (state.status !== 'failed' && state.status !== 'cancelled') return null;
  // The run's own error near its end (bounded: a run that failed without one is not searched through).
  for (let i = state.log.length - 1; i >= Math.max(0, state.log.length - REASON_LOOKBACK); i--) {
    const entry = state.log.at(i)!;
    if (entry.kind === 'event' && entry.event.type === 'error') return entry.event.message;
  }
  const done = state.result;
  const word = typeof done?.result === 'string' ? done.result : done?.finish_reason;
  return word === undefined || word === '' || word.toLowerCase() === state.status || word === 'canceled' ? null : word;
}

/** What a failed or cancelled run says about its end ("Failed: disk full"); null for other states. */
export function endingText(status: RunStatus, reason: string | null): string | null {
  if (status === 'cancelled') return reason === null ? 'Stopped before it finished' : `Stopped: ${reason}`;
  if (status === 'failed') return reason === null ? 'The run failed' : `Failed: ${reason}`;
  return null;
}

/** A result as text: a string as it is, anything else as compact JSON, bounded; null when there is none to show. */
export function resultText(done: DoneEvent | null): string | null {
  if (done?.result === undefined || done.result === null) return null;
  let text: string;
  if (typeof done.result === 'string') {
    if (done.state !== 'completed' && ENDING_WORDS.has(done.result.toLowerCase())) return null;
    text = done.result;
  } else {
    // JSON from the wire; a store fed by the page might hold something JSON cannot write (then nothing shows).
    let json: unknown;
    try {
      json = JSON.stringify(done.result);
    } catch {
      json = undefined;
    }
    text = typeof json === 'string' ? json : '';
  }
  if (text === '') return null;
  return text.length > MAX_RESULT_TEXT ? `${text.slice(0, MAX_RESULT_TEXT)}…` : text;
}
