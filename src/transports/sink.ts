/**
 * Where decoded events go: one ordered sink in front of the store. Events apply in seq order and
 * once (the store dedupes); an event that arrives ahead of its turn is held until the missing ones
 * come (hybrid planes interleave; a single plane asks for a resume), and if they do not come within
 * a bound the run is rebuilt from a snapshot — a gap is never papered over. Events of the same turn
 * are applied together (one store update per network chunk).
 */
import type { DecodeResult, RunEvent } from '../protocol/index.ts';
import type { RunStore, TypedError } from '../store/index.ts';
import { toTransportError } from './errors.ts';
import type { Clock } from './types.ts';

/** Most events held while waiting for a missing seq before a snapshot rebuild is forced. */
export const MAX_HELD_EVENTS = 10_000;

/** Receives decoded events and client-side errors for one run. */
export interface EventSink {
  /** Deliver one decoded event (from any connection or plane). */
  event(event: RunEvent): void;
  /** Deliver a decoder result: the event, or its error shown in the log. Returns the event, if any. */
  decoded(result: DecodeResult<RunEvent>): RunEvent | null;
  /** Show a client-side error (malformed frame, refused command) in the log. */
  error(error: TypedError): void;
  /** Apply what is queued now (otherwise applied at the end of the current task). */
  flush(): void;
  /** Stop: nothing more reaches the store, timers are cleared. */
  stop(): void;
}

/** What the ordered sink needs. */
export interface OrderedSinkOptions {
  store: RunStore;
  clock: Clock;
  /** Wait this long for a missing seq before `rebuild`. */
  gapTimeoutMs: number;
  /** Called once when an event arrives ahead of its turn (a single plane resumes after the store's last seq). */
  onGap?: () => void;
  /** Rebuild the store from the server's snapshot. */
  rebuild: () => Promise<void>;
}

/** Create the ordered sink in front of `store`. */
export function createOrderedSink(options: OrderedSinkOptions): EventSink {
  const { store, clock } = options;
  const held = new Map<number, RunEvent>();
  let batch: RunEvent[] = [];
  /** Seq of the newest sequenced event in `batch`, or null to read the store's. */
  let batchTail: number | null = null;
  let flushQueued = false;
  let gapTimer: unknown = null;
  let rebuilding = false;
  let stopped = false;

  const tail = (): number => batchTail ?? store.lastSeq;

  const flush = (): void => {
    flushQueued = false;
    if (stopped || batch.length === 0) return;
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

  /** Move held events that are now in turn into the batch; drop those already applied. */
  const release = (): void => {
    for (const seq of held.keys()) if (seq <= tail()) held.delete(seq);
    let next = held.get(tail() + 1);
    while (next !== undefined) {
      held.delete(next.seq!);
      enqueue(next);
      batchTail = next.seq!;
      next = held.get(batchTail + 1);
    }
    if (held.size === 0) clearGapTimer();
  };

  const clearGapTimer = (): void => {
    if (gapTimer !== null) clock.clearTimeout(gapTimer);
    gapTimer = null;
  };

  const rebuild = (): void => {
    clearGapTimer();
    if (rebuilding || stopped) return;
    rebuilding = true;
    flush();
    options
      .rebuild()
      .then(
        () => undefined,
        (error: unknown) => sink.error(toTransportError(error)),
      )
      .finally(() => {
        rebuilding = false;
        if (stopped) return;
        release();
        if (held.size > 0) gapTimer = clock.setTimeout(rebuild, options.gapTimeoutMs);
      });
  };

  const sink: EventSink = {
    event(event) {
      if (stopped) return;
      const seq = event.seq;
      if (seq === undefined || seq <= tail()) {
        enqueue(event);
        return;
      }
      if (seq === tail() + 1) {
        enqueue(event);
        batchTail = seq;
        if (held.size > 0) release();
        return;
      }
      if (held.has(seq)) return;
      held.set(seq, event);
      if (held.size > MAX_HELD_EVENTS) {
        rebuild();
      } else if (gapTimer === null && !rebuilding) {
        gapTimer = clock.setTimeout(rebuild, options.gapTimeoutMs);
        options.onGap?.();
      }
    },
    decoded(result) {
      if (result.ok) {
        sink.event(result.value);
        return result.value;
      }
      sink.error(result.error);
      return null;
    },
    error(error) {
      if (stopped) return;
      flush();
      store.reportError(error);
    },
    flush,
    stop() {
      stopped = true;
      clearGapTimer();
      held.clear();
      batch = [];
    },
  };
  return sink;
}
