/**
 * The plain-TS core of `<run-progress>`: from a run's state, what the bar, label, message and
 * result say — including how a run ended (done is 100 % with a final message; cancelled and failed
 * keep their last percentage and say why).
 */
import type { ConnectionState, RunStatus, RunStoreState } from '../../store/index.ts';
import { endingText, resultText } from '../shared/run-ending.ts';

export { endReason, MAX_RESULT_TEXT } from '../shared/run-ending.ts';

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
  const shownResult = resultText(result);
  let pct = raw;
  let message = progress.message;
  if (status === 'done') {
    // Done is done: a full bar, and a message that is not the last step's "Searching…".
    pct = 100;
    message = raw === 100 && message !== null ? message : 'Finished';
  } else {
    message = endingText(status, reason) ?? message;
  }
  const percent = pct === null ? '' : `${Math.round(pct)}%`;
  const valueText = pct === null ? (message ?? label) : message ? `${percent}, ${message}` : percent;
  return { state: status, label, pct, message, result: shownResult, valueText };
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

/** "planning" → "Planning". */
function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
