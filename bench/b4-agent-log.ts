/**
 * B4 — `<agent-log>` with 100,000 entries (a mix of steps, log lines, tool calls and their
 * results): time from attaching the element to the newest row on screen, time to show 1,000 more
 * (applied in one store update, and one per task as a stream would deliver them), and the JS heap
 * after (GC'd via CDP), split into what the store holds and what the element adds.
 */
import type { BenchContext } from './lib/context.ts';
import { timesBetween } from './lib/browser.ts';
import { row, type BenchResult } from './lib/report.ts';
import { fmt, int, median, mib } from './lib/stats.ts';

/** One fresh page's measurements. */
interface LogRound {
  firstRenderMs: number;
  /** Main-thread CPU from attaching until the evaluation returned (CDP thread ticks). */
  firstRenderMainMs: number;
  /** When the newest row was first in the DOM (an animation frame callback, before that frame's layout). */
  inDomMs: number;
  /** Animation frames until it was laid out in view. */
  frames: number;
  rows: number;
  appendMs: number;
  appendEachMs: number;
  appendEachMainMs: number;
  heapBase: number;
  heapStore: number;
  heapAfter: number;
  lastShown: boolean;
}

/** Run B4. */
export async function runB4(ctx: BenchContext): Promise<BenchResult> {
  const started = performance.now();
  const kit = await ctx.browser();
  const entries = 100_000;
  const more = 1_000;
  const rounds = ctx.quick ? 1 : 3;
  const all: LogRound[] = [];
  for (let round = 0; round < rounds; round++) {
    ctx.log(`B4 round ${round + 1}/${rounds}`);
    const page = await kit.open('b4');
    try {
      const heapBase = await page.heap();
      await page.page.evaluate((n) => window.b4!.prepare(n), entries);
      const heapStore = await page.heap();
      const beforeFirst = await page.times();
      const first = await page.page.evaluate(() => window.b4!.firstRender());
      const afterFirst = await page.times();
      const append = await page.page.evaluate((n) => window.b4!.append(n), more);
      const before = await page.times();
      const each = await page.page.evaluate((n) => window.b4!.appendEach(n), more);
      const after = await page.times();
      const heapAfter = await page.heap();
      page.check();
      all.push({
        firstRenderMs: first.ms,
        firstRenderMainMs: timesBetween(beforeFirst, afterFirst).task,
        inDomMs: first.inDomMs,
        frames: first.frames,
        rows: first.rows,
        appendMs: append.ms,
        appendEachMs: each.ms,
        appendEachMainMs: timesBetween(before, after).task,
        heapBase,
        heapStore,
        heapAfter,
        lastShown: append.lastShown && each.lastShown,
      });
    } finally {
      await page.close();
    }
  }
  const med = (pick: (r: LogRound) => number): number => median(all.map(pick));
  const total = entries + 2 * more;
  const storeBytes = med((r) => r.heapStore - r.heapBase);
  const elementBytes = med((r) => r.heapAfter - r.heapStore);
  const shown = all.every((r) => r.lastShown);
  const name = `${int(entries)} entries`;
  const rows = [
    row({
      bench: 'B4',
      case: name,
      metric: 'first render (attach → newest row laid out in view, painted)',
      ours: `${fmt(med((r) => r.firstRenderMs))} ms wall`,
      versus:
        `${fmt(med((r) => r.firstRenderMainMs))} ms main-thread CPU · in the DOM (before layout) at ${fmt(med((r) => r.inDomMs))} ms · ` +
        `${int(med((r) => r.frames))} frame(s) · ${int(med((r) => r.rows))} rows in the DOM (virtualised)`,
      ratio:
        rounds > 1
          ? `repeats ${all.map((r) => fmt(r.firstRenderMs)).join(', ')} ms wall, ${all.map((r) => fmt(r.firstRenderMainMs)).join(', ')} ms CPU`
          : '',
      verdict: 'info',
    }),
    row({
      bench: 'B4',
      case: `${name} + ${int(more)}`,
      metric: `append ${int(more)} → newest on screen`,
      ours: `${fmt(med((r) => r.appendMs))} ms in one update`,
      versus: `one per task: ${fmt(med((r) => r.appendEachMs))} ms wall, ${fmt(med((r) => r.appendEachMainMs))} ms main-thread CPU`,
      ratio: `${fmt((med((r) => r.appendEachMainMs) / more) * 1000)} µs main-thread CPU per entry`,
      verdict: shown ? 'info' : 'failed',
      margin: shown ? '' : 'the newest entry never showed',
    }),
    row({
      bench: 'B4',
      case: `${name} + ${int(2 * more)}`,
      metric: 'JS heap after (GC’d)',
      ours: `${mib(med((r) => r.heapAfter))} in all`,
      versus: `store ${mib(storeBytes)} (${int(storeBytes / entries)} B/entry) · element ${mib(elementBytes)} (${int(elementBytes / total)} B/entry)`,
      ratio: `empty page ${mib(med((r) => r.heapBase))}`,
      verdict: 'info',
    }),
  ];
  return {
    id: 'B4',
    title: '<agent-log> with 100,000 entries',
    rows,
    data: { entries, more, rounds: all },
    notes: [
      'B4 method: 100,000 log entries (steps, info/debug/warn lines, tool calls + results) applied to the store in one update; ' +
        '"on screen" = the newest entry’s row is laid out inside the log’s visible box and the frame that drew it has been painted ' +
        '(a message posted from that frame’s animation callback has arrived; the log follows the end; only rows in view exist). ' +
        'First-render CPU = CDP TaskDuration (thread ticks) around the whole evaluation. ' +
        'Heap = CDP Runtime.getHeapUsage after two forced GCs; element share = after − after-store.',
    ],
    durationMs: performance.now() - started,
  };
}
