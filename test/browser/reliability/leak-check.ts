/**
 * The leak-check harness: run a cycle N times, read the heap (after forced GC) at 100 cycles and
 * at N, tear down, and wait for every live resource to return to the count it had before. Growth
 * per cycle above a bound — heap bytes or live event listeners — and anything left live fails.
 */
import { expect } from '@open-wc/testing';
import { heapFigures, kib, liveCounts, settle, type LiveCounts } from './probes.ts';
import type { HeapFigures } from '../../reliability/commands.ts';

/** Cycles before the first heap reading (everything lazily created exists by then). */
export const WARM_CYCLES = 100;
/** Heap growth per cycle (bytes) above which a cycle leaks. A leaked element, socket or stream costs far more. */
export const MAX_HEAP_GROWTH_PER_CYCLE = 2048;
/** Heap noise tolerated on top of the per-cycle bound (GC timing, lazily compiled code). */
export const HEAP_NOISE_BYTES = 128 * 1024;
/** Live event listeners may not grow by more than one per this many cycles. */
export const LISTENER_GROWTH_CYCLES = 10;

/** Figures of one leak check. */
export interface LeakFigures {
  name: string;
  cycles: number;
  atWarm: HeapFigures;
  atEnd: HeapFigures;
  before: LiveCounts;
  after: LiveCounts;
  /** Heap growth per cycle between the two readings, bytes. */
  perCycle: number;
  /** Mean duration of a cycle, ms. */
  msPerCycle: number;
}

/** Everything a check needs: set up, one cycle, tear down; `extra` waits for other evidence (server side) after teardown. */
export interface LeakSpec<C> {
  name: string;
  cycles: number;
  setup(): Promise<C>;
  cycle(context: C, index: number): Promise<void>;
  teardown(context: C): Promise<void>;
  extra?(context: C): Promise<void>;
  /** Wait out delayed releases before a heap reading (nanostores lets a store go 1 s after its last listener). */
  quiet?(context: C): Promise<void>;
}

/** Run a leak check; returns its figures. */
export async function leakCheck<C>(spec: LeakSpec<C>): Promise<LeakFigures> {
  const before = liveCounts();
  const context = await spec.setup();
  const started = performance.now();
  const warm = Math.min(WARM_CYCLES, spec.cycles);
  for (let i = 0; i < warm; i++) await spec.cycle(context, i);
  const warmMs = performance.now() - started;
  await spec.quiet?.(context);
  const atWarm = await heapFigures();
  const resumed = performance.now();
  for (let i = warm; i < spec.cycles; i++) await spec.cycle(context, i);
  const msPerCycle = (warmMs + performance.now() - resumed) / Math.max(1, spec.cycles);
  await spec.quiet?.(context);
  const atEnd = await heapFigures();
  await spec.teardown(context);
  // Back to (at most) what was live before; the test harness's own timers may come and go.
  const within = (a: LiveCounts, b: LiveCounts): boolean =>
    (Object.keys(a) as (keyof LiveCounts)[]).every((k) => a[k] <= b[k]);
  let after = liveCounts();
  await settle(
    () => within((after = liveCounts()), before),
    `${spec.name}: live resources back to ${JSON.stringify(before)}`,
  );
  await spec.extra?.(context);
  const measured = spec.cycles - warm;
  const perCycle = measured > 0 ? (atEnd.usedSize - atWarm.usedSize) / measured : 0;
  const figures: LeakFigures = {
    name: spec.name,
    cycles: spec.cycles,
    atWarm,
    atEnd,
    before,
    after,
    perCycle,
    msPerCycle,
  };
  expect(
    within(after, before),
    `live timers, frames, sockets, readers, fetches ${JSON.stringify(after)} vs before ${JSON.stringify(before)}`,
  ).to.equal(true);
  if (measured > 0) {
    expect(
      atEnd.usedSize - atWarm.usedSize,
      `${spec.name}: heap growth over ${measured} cycles (${kib(atWarm.usedSize)} → ${kib(atEnd.usedSize)})`,
    ).to.be.below(MAX_HEAP_GROWTH_PER_CYCLE * measured + HEAP_NOISE_BYTES);
    expect(
      atEnd.jsEventListeners - atWarm.jsEventListeners,
      `${spec.name}: live event listeners ${atWarm.jsEventListeners} → ${atEnd.jsEventListeners}`,
    ).to.be.at.most(Math.floor(measured / LISTENER_GROWTH_CYCLES));
    expect(atEnd.nodes - atWarm.nodes, `${spec.name}: live DOM nodes ${atWarm.nodes} → ${atEnd.nodes}`).to.be.at.most(
      Math.floor(measured / LISTENER_GROWTH_CYCLES),
    );
  }
  return figures;
}

/** One line of figures for the report. */
export function describeFigures(f: LeakFigures): string {
  const measured = f.cycles - Math.min(WARM_CYCLES, f.cycles);
  return (
    `${f.name.padEnd(46)} ${String(f.cycles).padStart(5)} cycles  heap ${kib(f.atWarm.usedSize)} @${Math.min(WARM_CYCLES, f.cycles)} → ${kib(f.atEnd.usedSize)} @${f.cycles}` +
    ` (${f.perCycle >= 0 ? '+' : ''}${f.perCycle.toFixed(0)} B/cycle over ${measured})  listeners ${f.atWarm.jsEventListeners} → ${f.atEnd.jsEventListeners}` +
    `  nodes ${f.atWarm.nodes} → ${f.atEnd.nodes}  ${f.msPerCycle.toFixed(1)} ms/cycle  left live: ${JSON.stringify(f.after)}`
  );
}
