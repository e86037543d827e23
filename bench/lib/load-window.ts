/**
 * The load client's latency figures, kept apart from its sockets so that they can be tested: the
 * arrays are filled in arrival order (sample i: emitted at `emittedAt[i]`, delivered after
 * `delivery[i]` ms) and are never reordered, so every figure reads the samples it means.
 */
import type { Spread } from '../b5-shared.ts';
import { percentileSorted } from './stats.ts';

/** p50, p99 and max of the first `n` values; sorts a copy (sorting the samples would unpair them from their emission times). */
export function spreadOf(values: Float64Array, n: number): Spread {
  const sorted = values.slice(0, n).sort();
  return {
    p50: percentileSorted(sorted, 50),
    p99: percentileSorted(sorted, 99),
    max: sorted[n - 1] ?? Number.NaN,
  };
}

/** A span of emission times, ms on the monotonic clock: [from, to). */
export interface EmissionWindow {
  from: number;
  to: number;
}

/**
 * The steady window: from `settleMs` after the last stream opened until the first run emitted its
 * last token, when every run streamed at once. `allOpenAt` 0 (never all open) or a run with no token
 * (its `lastEmitted` 0) gives an empty window.
 */
export function steadyWindow(allOpenAt: number, lastEmitted: Iterable<number>, settleMs: number): EmissionWindow {
  let to = Number.POSITIVE_INFINITY;
  for (const at of lastEmitted) to = Math.min(to, at);
  return { from: allOpenAt > 0 ? allOpenAt + settleMs : Number.POSITIVE_INFINITY, to };
}

/** Delivery of the first `n` samples emitted within `window`, and how many there were. */
export function spreadWithin(
  emittedAt: Float64Array,
  delivery: Float64Array,
  n: number,
  window: EmissionWindow,
): { spread: Spread; count: number } {
  const picked = new Float64Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (emittedAt[i]! >= window.from && emittedAt[i]! < window.to) picked[count++] = delivery[i]!;
  }
  return { spread: spreadOf(picked, count), count };
}
