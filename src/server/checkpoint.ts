/**
 * Trimming with a checkpoint: a run keeps at most about `maxEvents` events; before older ones go,
 * the shared reducer's state at the newest seq is stored with the run, so that a snapshot still
 * answers the whole run and a reader behind the trim can start again from it. Used by both logs.
 */
import { RunKitError } from './errors.ts';
import type { RunCheckpoint } from './log.ts';
import { RunView } from './run-view.ts';
import type { StoredEvent } from './stored-event.ts';

/** Validate a `maxEvents` option (a positive integer, or undefined: no trimming). */
export function checkMaxEvents(maxEvents: number | undefined): void {
  if (maxEvents !== undefined && (!Number.isSafeInteger(maxEvents) || maxEvents < 1))
    throw new RunKitError('invalid_option', 'maxEvents must be a positive integer');
}

/**
 * One run's reducer state, folded from the events as they are appended, and the trimming
 * policy: a checkpoint every `ceil(maxEvents / 2)` events, trimming through `lastSeq - maxEvents`
 * (so between `maxEvents` and `1.5 × maxEvents` events are kept; never past the checkpoint).
 */
export class Checkpointer {
  private readonly view: RunView;
  /** Seq of the last checkpoint written (0: none). */
  written = 0;

  constructor(
    runId: string,
    private readonly maxEvents: number,
  ) {
    this.view = new RunView(runId);
  }

  /** Seq of the last event folded in. */
  get seq(): number {
    return this.view.lastSeq;
  }

  /** Fold in records; those that do not continue the folded state are skipped (the caller catches up by reading). */
  fold(records: readonly StoredEvent[]): void {
    this.view.absorb(records);
  }

  /** True when enough events came since the last checkpoint to take one and trim. */
  get due(): boolean {
    return this.view.lastSeq - this.written >= Math.ceil(this.maxEvents / 2) && this.trimThrough > 0;
  }

  /** The last seq a trim at the current state may remove (0: nothing). */
  get trimThrough(): number {
    return Math.max(0, this.view.lastSeq - this.maxEvents);
  }

  /** The checkpoint of the current state. */
  take(): RunCheckpoint {
    return { seq: this.view.lastSeq, snapshot: this.view.snapshot() };
  }
}
