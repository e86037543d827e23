/**
 * The reconnect loop every adapter runs, written once: connection-state reporting, capped
 * exponential backoff with full jitter, retry classification, the heartbeat watchdog, `reconnect()`
 * and a clean stop on the AbortSignal. An adapter only says how to hold one connection open.
 */
import type { ConnectionState } from '../store/index.ts';
import { backoffDelay } from './backoff.ts';
import { isEventsTrimmed, TransportError, toTransportError } from './errors.ts';
import type { WirePlane, WireTap } from './tap.ts';
import { createWatchdog, sleep } from './timers.ts';
import type { Clock, RetryPolicy } from './types.ts';

/** How one connection ended: the run is over, or the server closed it early (reconnect). */
export type ConnectionEnd = 'finished' | 'closed';

/** One connection attempt, as the adapter sees it. */
export interface Attempt {
  /** Aborted when the transport stops, on `reconnect()`, or when the watchdog fires (reason: a TransportError). */
  readonly signal: AbortSignal;
  /** The connection is open: reported as `open`. */
  opened(): void;
  /** The connection proved live (first byte or message). Until then `failFast` may give up on it. */
  live(): void;
  /** Bound the silence from now on: past `ms` without `activity()`, the attempt fails with `error()`. */
  watch(ms: number, error: () => TransportError): void;
  /** No bound on the silence from now on (until the next `watch`). */
  unwatch(): void;
  /** Bytes or a message arrived. */
  activity(): void;
}

/** What the loop needs. */
export interface SessionOptions {
  /** The transport name shown in the connection state. */
  name: string;
  clock: Clock;
  retry: RetryPolicy;
  /** Stops the loop for good. */
  signal: AbortSignal;
  /** Where connection-state changes go. */
  report(patch: Partial<ConnectionState>): void;
  /** Hold one connection open until it ends; throw (a TransportError) when it fails. */
  connect(attempt: Attempt): Promise<ConnectionEnd>;
  /** A count that grows whenever the run moved on (the sink's cursor): a connection that moved it resets the retry counter. */
  progress(): number;
  /** The server's preferred reconnect delay (SSE `retry:`), used as the backoff base. */
  serverRetryMs?: () => number | undefined;
  /**
   * Give up at the first failure before the connection ever proved live (a function is asked at
   * each failure). A connection that opened (headers, handshake) and was then cut before its first
   * byte gets one more try first: that is a drop, not proof the transport does not work.
   */
  failFast?: boolean | (() => boolean);
  /**
   * The server answered `410 events_trimmed`: bring the run up to date another way (the snapshot)
   * so that the next connection resumes after its seq. Without it, the 410 fails the loop.
   */
  recoverTrimmed?: (signal: AbortSignal) => Promise<void>;
  /** Called when the loop ends: null when finished or stopped, else the error it failed with; `live` tells whether any connection ever proved live. */
  onEnd?: (error: TransportError | null, live: boolean) => void;
  /** The wire observer, told every connection change with the plane it is on and the backoff chosen. */
  tap?: { readonly tap: WireTap; readonly plane: WirePlane } | undefined;
}

/** A running reconnect loop. */
export interface Session {
  /** Drop the current connection and open a new one at once (restarts a loop that ended). */
  reconnect(): void;
}

/** Snapshots a loop fetches for `events_trimmed` in a row (without the run moving on) before it gives up. */
export const MAX_TRIM_RECOVERIES = 3;

/** Start the loop; the first connection attempt starts synchronously. */
export function startSession(options: SessionOptions): Session {
  const { clock, retry, signal } = options;
  let current: AbortController | null = null;
  let wake: AbortController | null = null;
  let running = false;
  let everOpened = false;
  let everLive = false;
  /** `reconnect()` asked for a new connection now (set from outside the loop, taken after each await). */
  let immediate = false;
  const takeImmediate = (): boolean => {
    const asked = immediate;
    immediate = false;
    return asked;
  };

  /** The status last told to the tap: a poll reports `open` per page, the tap hears it once. */
  let tappedStatus: string | null = null;
  const tapped = (patch: Partial<ConnectionState>, delayMs?: number): void => {
    const status = patch.status ?? 'connecting';
    if (!options.tap || (status === tappedStatus && !patch.error && delayMs === undefined)) return;
    tappedStatus = status;
    options.tap.tap({
      kind: 'connection',
      transport: options.name,
      plane: options.tap.plane,
      status,
      attempt: patch.attempt ?? 0,
      ...(patch.error && { error: { code: patch.error.code, message: patch.error.message } }),
      ...(delayMs !== undefined && { delayMs }),
    });
  };
  const report = (patch: Partial<ConnectionState>, delayMs?: number): void => {
    if (signal.aborted) return;
    tapped(patch, delayMs);
    options.report(patch);
  };
  signal.addEventListener(
    'abort',
    () => {
      tapped({ status: 'closed', attempt: 0 });
      options.report({ status: 'closed', attempt: 0 });
    },
    { once: true },
  );

  const connectOnce = async (): Promise<{
    end: ConnectionEnd | null;
    error: TransportError | null;
    progressed: boolean;
    /** This attempt opened (headers or handshake) before it ended. */
    opened: boolean;
  }> => {
    const controller = new AbortController();
    current = controller;
    const stop = (): void => controller.abort(new TransportError('closed', 'transport stopped'));
    signal.addEventListener('abort', stop, { once: true });
    const watchdog = createWatchdog(clock);
    const mark = options.progress();
    let opened = false;
    const attempt: Attempt = {
      signal: controller.signal,
      opened() {
        if (controller.signal.aborted) return;
        everOpened = opened = true;
        report({ status: 'open', attempt: 0, error: null, transport: options.name });
      },
      live() {
        if (!controller.signal.aborted) everLive = true;
      },
      watch(ms, error) {
        watchdog.watch(ms, () => controller.abort(error()));
      },
      unwatch: () => watchdog.stop(),
      activity: () => watchdog.kick(),
    };
    try {
      const end = await options.connect(attempt);
      return { end, error: null, progressed: options.progress() !== mark, opened };
    } catch (thrown) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : thrown;
      return { end: null, error: toTransportError(reason), progressed: options.progress() !== mark, opened };
    } finally {
      watchdog.stop();
      signal.removeEventListener('abort', stop);
      if (!controller.signal.aborted) controller.abort(new TransportError('closed', 'connection ended'));
      if (current === controller) current = null;
    }
  };

  /** Read after every await: the signal may have aborted meanwhile. */
  const stopped = (): boolean => signal.aborted;

  const loop = async (): Promise<void> => {
    running = true;
    let failures = 0;
    let lastError: TransportError | null = null;
    let outcome: TransportError | null = null;
    /** Snapshots fetched for `events_trimmed` since the run last moved on (bounded: a server that keeps answering 410 fails the loop). */
    let recoveries = 0;
    /** The one extra try a connection cut after opening but before its first byte gets before `failFast` gives up. */
    let cutBeforeLiveRetried = false;
    while (!stopped()) {
      report({
        status: everOpened || failures > 0 ? 'reconnecting' : 'connecting',
        attempt: failures,
        transport: options.name,
        ...(lastError && { error: lastError }),
      });
      const { end, progressed, opened, ...rest } = await connectOnce();
      let error = rest.error;
      if (stopped()) break;
      if (end === 'finished') {
        report({ status: 'closed', attempt: 0 });
        break;
      }
      if (progressed) {
        failures = 0;
        recoveries = 0;
      }
      if (error && isEventsTrimmed(error) && options.recoverTrimmed && recoveries < MAX_TRIM_RECOVERIES) {
        recoveries++;
        try {
          // The snapshot holds what was trimmed; the next connection asks for what follows its seq.
          await options.recoverTrimmed(signal);
          if (stopped()) break;
          continue;
        } catch (thrown) {
          if (stopped()) break;
          // The snapshot could not be had: retried like any failure (its own error decides how).
          error = toTransportError(thrown);
        }
      }
      if (takeImmediate()) {
        failures = 0;
        lastError = null;
        continue;
      }
      failures++;
      let fatal = error !== null && !error.retryable;
      if (error && !fatal && !everLive && failsFast(options.failFast)) {
        // Never proved live: give up, except once for a drop after the connection opened (headers,
        // handshake). Not for `buffered`: open but silent is the fault failFast looks for.
        const retryDrop: boolean = opened && error.code !== 'buffered' && !cutBeforeLiveRetried;
        cutBeforeLiveRetried ||= retryDrop;
        fatal = !retryDrop;
      }
      if (fatal || failures >= retry.maxAttempts) {
        outcome = error ?? new TransportError('network', `gave up after ${failures} attempts`, { retryable: true });
        report({ status: 'failed', attempt: failures, error: outcome });
        break;
      }
      lastError = error;
      const delay = backoffDelay(failures, retry, () => clock.random(), {
        base: options.serverRetryMs?.(),
        atLeast: error?.retryAfterMs,
      });
      report({ status: 'reconnecting', attempt: failures, ...(error && { error }) }, delay);
      wake = new AbortController();
      await sleep(clock, delay, AbortSignal.any([signal, wake.signal]));
      wake = null;
      if (takeImmediate()) {
        failures = 0;
      }
    }
    running = false;
    options.onEnd?.(signal.aborted ? null : outcome, everLive);
  };

  void loop();

  return {
    reconnect() {
      if (signal.aborted) return;
      if (!running) {
        void loop();
        return;
      }
      immediate = true;
      wake?.abort();
      current?.abort(new TransportError('closed', 'reconnect requested', { retryable: true }));
    },
  };
}

/** Whether a `failFast` option (a flag, or a question asked now) says to give up. */
export function failsFast(failFast: boolean | (() => boolean) | undefined): boolean {
  return typeof failFast === 'function' ? failFast() : failFast === true;
}
