/** A manual Clock for tests: time moves only when `advance()` is called; random() is fixed. */
import type { Clock } from '../../src/transports/types.ts';

/** A Clock whose timers run only inside `advance()`. */
export interface FakeClock extends Clock {
  /** Move time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void;
  /** Timers waiting to fire. */
  readonly pending: number;
}

/** Create a fake clock starting at `start` with a constant random value (0 = no jitter wait). */
export function createFakeClock({ start = 0, random = 0 }: { start?: number; random?: number } = {}): FakeClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    now: () => now,
    random: () => random,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
    get pending() {
      return timers.size;
    },
  };
}
