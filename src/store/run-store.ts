/** nanostores stores over one run's state: the single source every element and framework reads. */
import { atom, computed, type ReadableAtom } from 'nanostores';
import type { RunEvent, RunSnapshot } from '../protocol/index.ts';
import {
  fromSnapshot,
  step,
  withClientError,
  withConnection,
  withDeliveredAnswer,
  type ApplyOutcome,
} from './reducer.ts';
import { LogIndex, type LogRowsView } from './log-rows.ts';
import { LogTimes, type LogTimesView } from './log-times.ts';
import { ServerClock, type ServerClockView } from './server-clock.ts';
import { initialState, type ConnectionState, type RunStoreState, type TypedError } from './state.ts';

/** Counters of what the store did with incoming events; useful for diagnostics and the chaos suite. */
export interface StoreStats {
  applied: number;
  duplicates: number;
  gaps: number;
  clientErrors: number;
}

/** One run's state as nanostores stores, and the only ways to change it. */
export interface RunStore {
  /** The whole state; every other store is derived from it. */
  readonly $state: ReadableAtom<RunStoreState>;
  /** The run's lifecycle status. */
  readonly $status: ReadableAtom<RunStoreState['status']>;
  /** Progress `{pct, message}`; pct null = indeterminate. */
  readonly $progress: ReadableAtom<RunStoreState['progress']>;
  /** Streamed text (chunks grouped by message). */
  readonly $text: ReadableAtom<RunStoreState['text']>;
  /** Agent log entries. */
  readonly $log: ReadableAtom<RunStoreState['log']>;
  /** The request waiting for a human answer, if any (the oldest, when several are open). */
  readonly $pendingInput: ReadableAtom<RunStoreState['pendingInput']>;
  /** Every request waiting for a human answer, oldest first. */
  readonly $pendingInputs: ReadableAtom<RunStoreState['pendingInputs']>;
  /** Streamed reasoning ("thinking"), grouped by message like `$text`. */
  readonly $reasoning: ReadableAtom<RunStoreState['reasoning']>;
  /** Arguments of tool calls still streaming, by call_id. */
  readonly $toolStreams: ReadableAtom<RunStoreState['toolStreams']>;
  /** The server's confirmations of answered requests, by resume token (a new object only when one arrives). */
  readonly $accepted: ReadableAtom<RunStoreState['accepted']>;
  /** The final `done` event, once the run ended. */
  readonly $result: ReadableAtom<RunStoreState['result']>;
  /** The transport's connection state. */
  readonly $connection: ReadableAtom<ConnectionState>;
  /** When this client applied each log entry (by log index): shown where the server sent no `at`. */
  readonly times: LogTimesView;
  /** The server's clock, read from its stamps (events' `at`, snapshots' `server_time`): deadlines are compared with it. */
  readonly clock: ServerClockView;
  /**
   * The log as rows (one per step, tool call, request or other entry; see `<agent-log>`), kept up to
   * date as events are applied: O(1) per event, rebuilt once per snapshot.
   */
  readonly rows: LogRowsView;
  /** Counters since creation. */
  readonly stats: Readonly<StoreStats>;
  /** Seq of the last applied event. */
  readonly lastSeq: number;
  /** Apply one server event; returns what happened to it. */
  apply(event: RunEvent): ApplyOutcome;
  /** Apply events in order with a single store update. */
  applyAll(events: Iterable<RunEvent>): void;
  /** Replace the state with the server's snapshot (events after `last_seq` follow). */
  applySnapshot(snapshot: RunSnapshot, sequenced?: boolean): void;
  /** Show an error raised on the client (malformed frame, refused command) in the log. */
  reportError(error: TypedError): void;
  /** Merge a connection-state change. */
  setConnection(patch: Partial<ConnectionState>): void;
  /** A plain server took the answer to `resumeToken` (it never sends input_accepted): settle that request. */
  settleDelivered(resumeToken: string): void;
  /** Back to the initial state (keeps the run id). */
  reset(): void;
}

/** Options of `createRunStore`. */
export interface RunStoreOptions {
  /** The clock the log's receipt times are read from (ms since the epoch); `Date.now` by default. */
  now?: () => number;
}

/** Create the stores for one run. Nothing connects here: transports feed the store. */
export function createRunStore(runId: string | null = null, options: RunStoreOptions = {}): RunStore {
  const $state = atom<RunStoreState>(initialState(runId));
  const now = options.now ?? Date.now;
  const times = new LogTimes();
  const clock = new ServerClock(now);
  const rows = new LogIndex();
  /** Set the new state, stamping the log entries it added with the time they were applied, and indexing them as rows. */
  const commit = (before: RunStoreState, after: RunStoreState): void => {
    if (after.log !== before.log) {
      times.record(after.log, before.log.length, now());
      rows.sync(after.log);
    }
    $state.set(after);
  };
  const stats: StoreStats = { applied: 0, duplicates: 0, gaps: 0, clientErrors: 0 };
  const select = <T>(pick: (s: RunStoreState) => T): ReadableAtom<T> => computed($state, pick);

  const count = (outcome: ApplyOutcome): void => {
    if (outcome === 'applied') stats.applied++;
    else if (outcome === 'duplicate') stats.duplicates++;
    else stats.gaps++;
  };

  return {
    $state,
    $status: select((s) => s.status),
    $progress: select((s) => s.progress),
    $text: select((s) => s.text),
    $log: select((s) => s.log),
    $pendingInput: select((s) => s.pendingInput),
    $pendingInputs: select((s) => s.pendingInputs),
    $reasoning: select((s) => s.reasoning),
    $toolStreams: select((s) => s.toolStreams),
    $accepted: select((s) => s.accepted),
    $result: select((s) => s.result),
    $connection: select((s) => s.connection),
    times,
    clock,
    rows,
    stats,
    get lastSeq() {
      return $state.get().lastSeq;
    },
    apply(event) {
      clock.stamp(event.at);
      const state = $state.get();
      const result = step(state, event);
      count(result.outcome);
      if (result.state !== state) commit(state, result.state);
      return result.outcome;
    },
    applyAll(events) {
      const before = $state.get();
      let state = before;
      for (const event of events) {
        clock.stamp(event.at);
        const result = step(state, event);
        count(result.outcome);
        state = result.state;
      }
      if (state !== before) commit(before, state);
    },
    applySnapshot(snapshot, sequenced = true) {
      clock.stamp(snapshot.server_time);
      const next = fromSnapshot($state.get(), snapshot, sequenced);
      times.rebuild(next.log);
      rows.sync(next.log);
      $state.set(next);
    },
    reportError(error) {
      stats.clientErrors++;
      const state = $state.get();
      commit(state, withClientError(state, error));
    },
    setConnection(patch) {
      $state.set(withConnection($state.get(), patch));
    },
    settleDelivered(resumeToken) {
      const state = $state.get();
      const next = withDeliveredAnswer(state, resumeToken);
      if (next !== state) $state.set(next);
    },
    reset() {
      times.clear();
      const next = { ...initialState($state.get().runId), connection: $state.get().connection };
      rows.sync(next.log);
      $state.set(next);
    },
  };
}
