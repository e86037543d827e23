/** The load client's latency figures (B5, B7): which samples each one reads. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spreadOf, spreadWithin, steadyWindow } from '../../bench/lib/load-window.ts';

describe('bench load window', () => {
  it('a spread leaves the samples in arrival order (still paired with their emission times)', () => {
    const delivery = Float64Array.from([30, 10, 20]);
    assert.deepEqual(spreadOf(delivery, 3), { p50: 20, p99: 30, max: 30 });
    assert.deepEqual([...delivery], [30, 10, 20]);
    // Only the first n count.
    assert.deepEqual(spreadOf(delivery, 2), { p50: 10, p99: 30, max: 30 });
    const none = spreadOf(delivery, 0);
    assert.ok(Number.isNaN(none.p50) && Number.isNaN(none.p99) && Number.isNaN(none.max));
  });

  it('the steady spread reads the delivery of the tokens emitted in the window, after a whole-pass spread', () => {
    // Opening burst (emitted at 0-2): slow; steady (emitted at 10-12): fast.
    const emittedAt = Float64Array.from([0, 1, 2, 10, 11, 12]);
    const delivery = Float64Array.from([90, 80, 70, 3, 1, 2]);
    assert.equal(spreadOf(delivery, 6).max, 90);
    const steady = spreadWithin(emittedAt, delivery, 6, { from: 10, to: 13 });
    assert.equal(steady.count, 3);
    assert.deepEqual(steady.spread, { p50: 2, p99: 3, max: 3 });
    // [from, to): a token emitted at `to` is outside.
    assert.equal(spreadWithin(emittedAt, delivery, 6, { from: 10, to: 12 }).count, 2);
  });

  it('the window starts settleMs after the last stream opened and ends at the first run’s last token', () => {
    assert.deepEqual(steadyWindow(1_000, Float64Array.from([6_000, 5_200, 7_000]), 1_000), { from: 2_000, to: 5_200 });
  });

  it('is empty when the streams were never all open, when a run had no token, or when runs ended before it began', () => {
    const never = steadyWindow(0, Float64Array.from([6_000]), 1_000);
    assert.ok(never.to - never.from < 0);
    assert.equal(steadyWindow(1_000, Float64Array.from([6_000, 0]), 1_000).to, 0);
    const late = steadyWindow(5_000, Float64Array.from([5_500, 9_000]), 1_000);
    assert.ok(late.to - late.from < 0);
    assert.equal(spreadWithin(Float64Array.from([5_800]), Float64Array.from([1]), 1, late).count, 0);
  });
});
