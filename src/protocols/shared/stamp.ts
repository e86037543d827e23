/** Stamping the events a stream session emits: its run, when, and a gapless seq of its own. */
import type { RunEvent } from '../../protocol/index.ts';

/** An event before stamping (each variant without its base fields). */
export type Unstamped = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'run_id' | 'seq' | 'at'>
    : never
  : never;

/** Stamps events with the run, a time and the next seq. */
export interface Stamper {
  /** The event, stamped (`at` defaults to now). */
  stamp(event: Unstamped, at?: string): RunEvent;
  /** Seq of the last event stamped (0 before any). */
  readonly last: number;
}

/** A stamper for `runId` (read on every stamp: a run whose id the stream gives learns it late). */
export function createStamper(runId: () => string, now: () => number): Stamper {
  let seq = 0;
  return {
    stamp(event, at) {
      seq++;
      const stamped: RunEvent = { ...event, run_id: runId(), seq, at: at ?? new Date(now()).toISOString() };
      return stamped;
    },
    get last() {
      return seq;
    },
  };
}
