/**
 * The plain-TS core of `<run-progress>`: from a run's state, what the bar, label, message and
 * result say — including how a run ended (done is 100 % with a final message; cancelled and failed
 * keep their last percentage and say why).
 */
import type { DoneEvent } from '../../protocol/index.ts';
import type { ConnectionState, RunStatus, RunStoreState } from '../../store/index.ts';

/** What each run status is called on screen. */
export const STATUS_LABELS: Readonly<Record<RunStatus, string>> = Object.freeze({
  idle: 'Not started',
  queued: 'Queued',
  running: 'Running',
  waiting: 'Waiting for input',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
});

/** How many of the last log entries are searched for the error that ended a run. */
const REASON_LOOKBACK = 50;

/** Longest result text shown (the rest is cut with an ellipsis). */
export const MAX_RESULT_TEXT = 300;

/** What `<run-progress>` shows of a run. */
export interface ProgressView {
  readonly state: RunStatus;
  /** The status as said on screen: the server's own word while running, else the status's label. */
  readonly label: string;
  /** 0–100, or null while indeterminate. */
  readonly pct: number | null;
  /** The line under the bar. */
  readonly message: string | null;
  /** The run's result as text (a string as it is, anything else as JSON), once it ended with one. */
  readonly result: string | null;
  /** The accessible value of the bar. */
  readonly valueText: string;
}

/** The part of a run's state the view reads. */
export type ProgressInputs = Pick<RunStoreState, 'status' | 'statusLabel' | 'progress' | 'result'> & {
  /** Why the run failed or was cancelled (see `endReason`), once it did. */
  readonly reason: string | null;
};

/** Derive what the bar says. Pure. */
export function progressView({ status, statusLabel, progress, result, reason }: ProgressInputs): ProgressView {
  const raw = progress.pct === null ? null : Math.min(100, Math.max(0, progress.pct));
  const label =
    statusLabel !== null && (status === 'running' || status === 'queued')
      ? capitalise(statusLabel)
      : STATUS_LABELS[status];
  const resultText = textOf(result);
  let pct = raw;
  let message = progress.message;
  if (status === 'done') {
    // Done is done: a full bar, and a message that is not the last step's "Searching…".
    pct = 100;
    message = raw === 100 && message !== null ? message : 'Finished';
  } else if (status === 'cancelled') {
    message = reason === null ? 'Stopped before it finished' : `Stopped: ${reason}`;
  } else if (status === 'failed') {
    message = reason === null ? 'The run failed' : `Failed: ${reason}`;
  }
  const percent = pct === null ? '' : `${Math.round(pct)}%`;
  const valueText = pct === null ? (message ?? label) : message ? `${percent}, ${message}` : percent;
  return { state: status, label, pct, message, result: resultText, valueText };
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

/** The connection line: empty while it is plainly fine. */
export function connectionText(
  connection: ConnectionState | undefined,
  status: RunStatus,
  sequenced: boolean | null,
  waitingForAnswer: boolean,
): string {
  switch (connection?.status) {
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting': {
      const attempt = connection.attempt > 1 ? ` (attempt ${connection.attempt})` : '';
      // Never reconnect silently while a question is open: the user should know it is still theirs to answer.
      return waitingForAnswer ? `Reconnecting…${attempt} Your answer is still awaited.` : `Reconnecting…${attempt}`;
    }
    case 'failed':
      return connection.error ? `Connection lost: ${connection.error.message}` : 'Connection lost';
    case 'closed':
      return status === 'done' || status === 'failed' || status === 'cancelled' ? '' : 'Disconnected';
    case 'open':
      return sequenced === false ? 'unsequenced' : '';
    default:
      return '';
  }
}

/** Words a plain server puts in `result` to say how the run ended: not a result to show. */
const ENDING_WORDS = new Set(['cancelled', 'canceled', 'failed', 'error', 'aborted']);

/** A result as text: a string as it is, anything else as compact JSON, bounded. */
function textOf(done: DoneEvent | null): string | null {
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

/** "planning" → "Planning". */
function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
