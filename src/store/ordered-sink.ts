/**
 * The one owner of event order: everything a transport learns about a run goes through here on
 * its way to the store. Sequenced events apply in seq order and once; an event that arrives ahead
 * of its turn is held until the missing ones come (hybrid planes interleave; a single plane is
 * asked to resume), and if they do not come within a bound the run is rebuilt from a snapshot —
 * a gap is never papered over. Snapshots (polling, rebuilds) go through the same owner, so the
 * held events and the store never disagree. Events of one turn are applied together: one store
 * update per network chunk.
 *
 * Transports hold this sink, never the store: they hand it decoded events and read a narrow
 * cursor (where to resume, whether the run is sequenced, whether it is over).
 */
import { lastSeqOf, type DecodeResult, type RunEvent, type RunSnapshot } from '../protocol/index.ts';
import type { RunStore } from './run-store.ts';
import type { ConnectionState, TypedError } from './state.ts';

/** Default wait for a missing seq before the run is rebuilt from a snapshot, ms. */
export const DEFAULT_GAP_TIMEOUT_MS = 5_000;

/** Most events held while waiting for a missing seq before a snapshot rebuild is forced. */
export const MAX_HELD_EVENTS = 10_000;

/** Timers the sink uses (a transport's Clock fits). */
export interface SinkClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What a transport reads of the run to know where it stands. */
export interface RunCursor {
  /** Seq of the last applied event (0 before any): where a connection resumes. */
  readonly lastSeq: number;
  /** null until the first event; false for a plain server that sends no seq (no exactly-once). */
  readonly sequenced: boolean | null;
  /** The run ended (its `done` was applied): nothing more will come. */
  readonly finished: boolean;
  /** Grows with every event applied and every snapshot that changed the state: a connection that moved it made progress. */
  readonly applied: number;
}

/** How the transport attached to the sink closes a gap: resume on its connection, or rebuild from a snapshot. */
export interface GapRecovery {
  /** Stops the attachment: held events are dropped and timers cleared (the run resumes from the cursor later). */
  signal: AbortSignal;
  /** Ask the connection for the events after the cursor (a WebSocket `resume`, an SSE reconnect). */
  resume?: () => void;
  /** Make the server's snapshot the store's state (through `snapshot`). */
  rebuild: () => Promise<void>;
}

/** Receives everything a transport learns about one run. */
export interface EventSink {
  /** Where the run stands. */
  readonly cursor: RunCursor;
  /** Deliver one decoded event (from any connection or plane). */
  event(event: RunEvent): void;
  /** Deliver a decoder result: the event, or its error shown in the log. */
  decoded(result: DecodeResult<RunEvent>): void;
  /** Show an error raised on the client (malformed frame, refused command) in the log. */
  error(error: TypedError): void;
  /** The server's snapshot; applied when it is ahead of the store (or the server is unsequenced). True when it changed what is shown. */
  snapshot(snapshot: RunSnapshot, sequenced: boolean): boolean;
  /** Report a change of the connection. */
  connection(patch: Partial<ConnectionState>): void;
  /** Apply what is queued now (otherwise applied at the end of the current task). */
  flush(): void;
  /** Resolves once the run finished, or when `signal` aborts. */
  finished(signal: AbortSignal): Promise<void>;
  /** Attach the transport that closes gaps until `recovery.signal` aborts (a later attach replaces it). */
  attach(recovery: GapRecovery): void;
}

/**
 * What the sink did with one input, for observers (`<agent-inspector>`, recordings): an event
 * `applied` in turn, `released` (applied once the gap before it closed), `held` (ahead of a
 * missing seq), `duplicate` (dropped); a snapshot applied (`resync`) or `stale` (not ahead of the
 * store); a client `error`; a gap that outlived its bound and made the run `rebuild`.
 */
export type SinkOutcome = 'applied' | 'released' | 'held' | 'duplicate' | 'resync' | 'stale' | 'error' | 'rebuild';

/** One input of the ordered sink and what became of it; the input itself rides along (a recording replays it). */
export type SinkTapEvent =
  | { readonly kind: 'sink'; readonly outcome: 'applied' | 'held' | 'duplicate'; readonly event: RunEvent }
  | { readonly kind: 'sink'; readonly outcome: 'released'; readonly event: RunEvent }
  | {
      readonly kind: 'sink';
      readonly outcome: 'resync' | 'stale';
      readonly snapshot: RunSnapshot;
      readonly sequenced: boolean;
    }
  | { readonly kind: 'sink'; readonly outcome: 'error'; readonly error: TypedError }
  | { readonly kind: 'sink'; readonly outcome: 'rebuild'; readonly expected: number; readonly held: number };

/** Told about every input of the sink, synchronously (keep it cheap). */
export type SinkObserver = (event: SinkTapEvent) => void;

/**
 * Create the ordered sink in front of `store`; `gapTimeoutMs` bounds the wait for a missing seq;
 * `observe` (optional) is told what happened to every input.
 */
export function createOrderedSink(
  store: RunStore,
  clock: SinkClock = globalThis,
  gapTimeoutMs: number = DEFAULT_GAP_TIMEOUT_MS,
  observe?: SinkObserver,
): EventSink {
  const held = new Map<number, RunEvent>();
  let batch: RunEvent[] = [];
  /** Seq of the newest sequenced event in `batch`, or null to read the store's. */
  let batchTail: number | null = null;
  let flushQueued = false;
  let gapTimer: unknown = null;
  let rebuilding = false;
  let recovery: GapRecovery | null = null;
  /** Snapshots that changed the state (counted in the cursor's `applied`). */
  let snapshotsApplied = 0;

  const state = () => store.$state.get();
  const tail = (): number => batchTail ?? state().lastSeq;

  const flush = (): void => {
    flushQueued = false;
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    batchTail = null;
    if (events.length === 1) store.apply(events[0]!);
    else store.applyAll(events);
  };

  const enqueue = (event: RunEvent): void => {
    batch.push(event);
    if (!flushQueued) {
      flushQueued = true;
      queueMicrotask(flush);
    }
  };

  const clearGapTimer = (): void => {
    if (gapTimer !== null) clock.clearTimeout(gapTimer);
    gapTimer = null;
  };

  /** Move held events that are now in turn into the batch; drop those already applied. */
  const release = (): void => {
    for (const [seq, event] of held) if (lastSeqOf(event)! <= tail()) held.delete(seq);
    let next = held.get(tail() + 1);
    while (next !== undefined) {
      held.delete(next.seq!);
      observe?.({ kind: 'sink', outcome: 'released', event: next });
      enqueue(next);
      batchTail = lastSeqOf(next)!;
      next = held.get(batchTail + 1);
    }
    if (held.size === 0) clearGapTimer();
  };

  const rebuild = (): void => {
    clearGapTimer();
    const current = recovery;
    if (rebuilding || !current || current.signal.aborted) return;
    observe?.({ kind: 'sink', outcome: 'rebuild', expected: tail() + 1, held: held.size });
    rebuilding = true;
    flush();
    current
      .rebuild()
      .then(
        () => undefined,
        (error: unknown) => {
          if (!current.signal.aborted) store.reportError(asTypedError(error));
        },
      )
      .finally(() => {
        rebuilding = false;
        if (current.signal.aborted) return;
        release();
        if (held.size > 0) gapTimer = clock.setTimeout(rebuild, gapTimeoutMs);
      });
  };

  /** The transport left: what it held back is dropped (the next one resumes from the cursor). */
  const detach = (): void => {
    recovery = null;
    clearGapTimer();
    held.clear();
    flush();
  };

  const sink: EventSink = {
    get cursor(): RunCursor {
      const s = state();
      return {
        lastSeq: s.lastSeq,
        sequenced: s.sequenced,
        finished: s.result !== null,
        applied: store.stats.applied + snapshotsApplied,
      };
    },
    event(event) {
      const seq = event.seq;
      const end = lastSeqOf(event);
      if (seq === undefined || end === undefined || end <= tail()) {
        observe?.({ kind: 'sink', outcome: seq === undefined ? 'applied' : 'duplicate', event });
        enqueue(event);
        return;
      }
      if (seq <= tail()) {
        // A coalesced token overlapping what was applied cannot be split: take the snapshot instead.
        observe?.({ kind: 'sink', outcome: 'duplicate', event });
        rebuild();
        return;
      }
      if (seq === tail() + 1) {
        observe?.({ kind: 'sink', outcome: 'applied', event });
        enqueue(event);
        batchTail = end;
        if (held.size > 0) release();
        return;
      }
      observe?.({ kind: 'sink', outcome: held.has(seq) ? 'duplicate' : 'held', event });
      if (held.has(seq)) return;
      held.set(seq, event);
      if (held.size > MAX_HELD_EVENTS) {
        rebuild();
      } else if (gapTimer === null && !rebuilding) {
        gapTimer = clock.setTimeout(rebuild, gapTimeoutMs);
        recovery?.resume?.();
      }
    },
    decoded(result) {
      if (result.ok) sink.event(result.value);
      else sink.error(result.error);
    },
    error(error) {
      observe?.({ kind: 'sink', outcome: 'error', error });
      flush();
      store.reportError(error);
    },
    snapshot(snapshot, sequenced) {
      flush();
      const before = state();
      const stale = sequenced && snapshot.last_seq <= before.lastSeq;
      observe?.({ kind: 'sink', outcome: stale ? 'stale' : 'resync', snapshot, sequenced });
      if (stale) return false;
      store.applySnapshot(snapshot, sequenced);
      release();
      const after = state();
      const changed =
        before.status !== after.status ||
        before.lastSeq !== after.lastSeq ||
        before.progress.pct !== after.progress.pct ||
        before.progress.message !== after.progress.message ||
        before.result !== after.result;
      if (changed) snapshotsApplied++;
      return changed;
    },
    connection(patch) {
      store.setConnection(patch);
    },
    flush,
    finished(signal) {
      return new Promise((resolve) => {
        if (signal.aborted || state().result !== null) {
          resolve();
          return;
        }
        const done = (): void => {
          unlisten();
          signal.removeEventListener('abort', done);
          resolve();
        };
        const unlisten = store.$state.listen((s) => {
          if (s.result !== null) done();
        });
        signal.addEventListener('abort', done, { once: true });
      });
    },
    attach(next) {
      if (recovery) detach();
      recovery = next;
      next.signal.addEventListener(
        'abort',
        () => {
          if (recovery === next) detach();
        },
        { once: true },
      );
    },
  };
  return sink;
}

/** A typed error from whatever a rebuild threw (transports throw TransportErrors). */
function asTypedError(error: unknown): TypedError {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) return error as TypedError;
  return { code: 'network', message: `rebuild failed: ${String(error)}` };
}
