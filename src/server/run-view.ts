/**
 * A run as the shared reducer sees it, kept per instance: the reducer state (for snapshots) and
 * the run's lifecycle state after every event (for events pages), caught up from the log on
 * demand. The snapshot is `toSnapshot(reduce(...))` of src/store: client and server agree by
 * construction.
 */
import type { RunSnapshot, RunState } from '../protocol/index.ts';
import { fromSnapshot, reduce, toSnapshot } from '../store/reducer.ts';
import { initialState, type RunStoreState } from '../store/state.ts';
import { RunKitError } from './errors.ts';
import type { RunCheckpoint, RunLog } from './log.ts';
import type { StoredEvent } from './stored-event.ts';

/** Events read per round trip when a view catches up. */
const CATCH_UP_PAGE = 10_000;
/** Times a view restarts from a newer checkpoint in one catch-up (trims racing the reads) before giving up. */
const MAX_RESTORES = 5;

function statusOf(state: RunStoreState): RunState {
  return state.status === 'idle' ? 'queued' : state.status;
}

/** One run folded by the shared reducer. */
export class RunView {
  private state: RunStoreState;
  /** Seqs at which the lifecycle state changed, and the state from there on. */
  private readonly changes: { seq: number; state: RunState }[] = [{ seq: 0, state: 'queued' }];

  constructor(readonly runId: string) {
    this.state = initialState(runId);
  }

  /** Seq of the last event folded in. */
  get lastSeq(): number {
    return this.state.lastSeq;
  }

  /** The run's lifecycle state now (as of `lastSeq`). */
  get current(): RunState {
    return this.changes.at(-1)!.state;
  }

  /** Start again from a checkpoint (the events it covers were trimmed); a checkpoint behind the view is ignored. */
  restore(checkpoint: RunCheckpoint): void {
    if (checkpoint.seq <= this.state.lastSeq) return;
    this.state = { ...fromSnapshot(initialState(this.runId), checkpoint.snapshot), lastSeq: checkpoint.seq };
    this.changes.length = 0;
    this.changes.push({ seq: checkpoint.seq, state: statusOf(this.state) });
  }

  /** Fold in the records that continue the view (seq = lastSeq + 1, …); others are skipped. */
  absorb(records: readonly StoredEvent[]): void {
    for (const record of records) {
      if (record.seq !== this.state.lastSeq + 1) continue;
      this.state = reduce(this.state, record.event);
      const state = statusOf(this.state);
      if (state !== this.current) this.changes.push({ seq: record.seq, state });
    }
  }

  /** The lifecycle state right after event `seq` (the current state past `lastSeq`). */
  stateAt(seq: number): RunState {
    const changes = this.changes;
    let lo = 0;
    let hi = changes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (changes[mid]!.seq <= seq) lo = mid;
      else hi = mid - 1;
    }
    return changes[lo]!.state;
  }

  /** The snapshot `GET /api/runs/{id}` answers. */
  snapshot(): RunSnapshot {
    return toSnapshot(this.state);
  }
}

/** Views of the runs this instance was asked about, least recently used forgotten first. */
export class RunViews {
  private readonly views = new Map<string, RunView>();

  constructor(
    private readonly log: RunLog,
    private readonly capacity = 1000,
  ) {}

  /** The view of a run caught up to the log's end (or at least to `seq`); undefined when no such run. */
  async caughtUp(runId: string, seq?: number): Promise<RunView> {
    const view = this.viewOf(runId);
    let restores = 0;
    while (seq === undefined || view.lastSeq < seq) {
      let records;
      try {
        records = await this.log.read(runId, view.lastSeq, CATCH_UP_PAGE);
      } catch (error) {
        // The events after the view were trimmed: start from the run's checkpoint, which covers them.
        if (!(error instanceof RunKitError && error.code === 'events_trimmed') || ++restores > MAX_RESTORES)
          throw error;
        const checkpoint = await this.log.checkpoint(runId);
        if (!checkpoint || checkpoint.seq <= view.lastSeq) throw error;
        view.restore(checkpoint);
        continue;
      }
      const before = view.lastSeq;
      view.absorb(records);
      if (view.lastSeq === before) break;
      if (records.length < CATCH_UP_PAGE && seq === undefined) break;
    }
    return view;
  }

  /** The view of a run as it is now (not caught up). */
  viewOf(runId: string): RunView {
    let view = this.views.get(runId);
    if (view) {
      this.views.delete(runId);
      this.views.set(runId, view);
      return view;
    }
    view = new RunView(runId);
    this.views.set(runId, view);
    if (this.views.size > this.capacity) {
      const oldest = this.views.keys().next().value;
      if (oldest !== undefined) this.views.delete(oldest);
    }
    return view;
  }

  /** Forget a run's view. */
  forget(runId: string): void {
    this.views.delete(runId);
  }
}
