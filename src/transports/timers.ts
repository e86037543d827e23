/** Timer helpers over an injected Clock: sleeping and the heartbeat watchdog. */
import type { Clock } from './types.ts';

/** Resolve after `ms` on `clock`, or at once when `signal` aborts (callers check the signal). Zero waits resolve at once. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clock.clearTimeout(handle);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const handle = clock.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The longest delay a browser timer takes (2³¹−1 ms); a longer one fires at once, so it means "never" here. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Fires when nothing was heard for a while. `kick()` is O(1): no timer is re-armed per message. */
export interface Watchdog {
  /** (Re)arm with a bound, counted from now, and what to do when it passes. */
  watch(ms: number, onTimeout: () => void): void;
  /** Something was heard: the bound restarts from now. */
  kick(): void;
  /** Disarm. */
  stop(): void;
}

/** Create a watchdog on `clock`. */
export function createWatchdog(clock: Clock): Watchdog {
  let handle: unknown = null;
  let bound = 0;
  let last = 0;
  let fire: (() => void) | null = null;

  const arm = (ms: number): void => {
    handle = clock.setTimeout(check, ms);
  };
  const check = (): void => {
    handle = null;
    if (!fire) return;
    const idle = clock.now() - last;
    if (idle < bound) {
      arm(bound - idle);
      return;
    }
    const callback = fire;
    fire = null;
    callback();
  };

  return {
    watch(ms, onTimeout) {
      if (handle !== null) clock.clearTimeout(handle);
      handle = null;
      // No bound (a heartbeat turned off with Infinity): browsers would fire such a timer at once.
      if (!(ms <= MAX_TIMER_MS)) {
        fire = null;
        return;
      }
      bound = ms;
      last = clock.now();
      fire = onTimeout;
      arm(ms);
    },
    kick() {
      last = clock.now();
    },
    stop() {
      if (handle !== null) clock.clearTimeout(handle);
      handle = null;
      fire = null;
    },
  };
}
