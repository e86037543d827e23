/**
 * B6 — memory after streaming 1,000,000 tokens into `<token-stream>` through the real wire path
 * (SSE bytes → decoder → typed decode → ordered sink → store → element, 5,000 tokens per frame),
 * relative to the text's own size as a UTF-16 string. Two figures: the JS heap after forced GCs
 * (what our store and element keep), and the renderer's resident memory (the DOM text and its
 * layout live outside the JS heap), both beside the same text appended to one Text node with no
 * store at all, in the same run.
 */
import type { BenchPage, BrowserKit } from './lib/browser.ts';
import type { BenchContext } from './lib/context.ts';
import { row, type BenchResult } from './lib/report.ts';
import { fmt, int, mib, times } from './lib/stats.ts';

/** Memory readings of one page: JS heap used and the page renderer's RSS. */
interface Reading {
  heap: number;
  rss: Map<number, number>;
}

/** What one variant held. */
interface Held {
  textLength: number;
  shownLength: number;
  streamMs: number;
  /** JS heap growth, bytes. */
  heap: number;
  /** Renderer RSS growth, bytes. */
  rss: number;
  /** Renderer RSS given back when the shown text was removed, bytes (what the DOM and layout held). */
  rssFreed: number;
  nodes: number;
}

async function read(kit: BrowserKit, page: BenchPage): Promise<Reading> {
  // Ask the renderer to give back what it can (caches, freed heap pages), then GC and read.
  await page.cdp.send('Memory.simulatePressureNotification', { level: 'critical' });
  const heap = await page.heap();
  await page.page.waitForTimeout(300);
  return { heap, rss: await kit.rendererRss() };
}

/** RSS growth between two readings: the page's renderer is the one that changed most. */
function rssDelta(a: Reading, b: Reading): number {
  let best = 0;
  for (const [pid, bytes] of b.rss) {
    const before = a.rss.get(pid);
    if (before !== undefined && Math.abs(bytes - before) > Math.abs(best)) best = bytes - before;
  }
  return best;
}

async function measure(kit: BrowserKit, variant: 'ours' | 'raw', tokens: number, perFrame: number): Promise<Held> {
  const page = await kit.open('b1');
  try {
    await page.page.evaluate(() => window.b1!.prepare({ variant: 'ours', tokens: 0, rate: 0, budgetMs: 0 }));
    const { nodes: nodesBefore } = await page.cdp.send('Memory.getDOMCounters');
    const before = await read(kit, page);
    const fill = await page.page.evaluate(
      ([v, n, per]) => (v === 'ours' ? window.b1!.fill(n, per) : window.b1!.fillRaw(n, per)),
      [variant, tokens, perFrame] as const,
    );
    const after = await read(kit, page);
    const { nodes: nodesAfter } = await page.cdp.send('Memory.getDOMCounters');
    await page.page.evaluate(() => window.b1!.clear());
    const cleared = await read(kit, page);
    page.check();
    return {
      textLength: fill.textLength,
      shownLength: fill.shownLength,
      streamMs: fill.ms,
      heap: after.heap - before.heap,
      rss: rssDelta(before, after),
      rssFreed: -rssDelta(after, cleared),
      nodes: nodesAfter - nodesBefore,
    };
  } finally {
    await page.close();
  }
}

/** Run B6. */
export async function runB6(ctx: BenchContext): Promise<BenchResult> {
  const started = performance.now();
  const kit = await ctx.browser();
  const tokens = ctx.quick ? 200_000 : 1_000_000;
  const perFrame = 5_000;
  ctx.log(`B6: streaming ${int(tokens)} tokens into <token-stream>`);
  const ours = await measure(kit, 'ours', tokens, perFrame);
  ctx.log(`B6: the same text into one Text node`);
  const raw = await measure(kit, 'raw', tokens, perFrame);
  const textBytes = ours.textLength * 2;
  const shownOk = ours.shownLength === ours.textLength && raw.textLength === ours.textLength;
  const rows = [
    row({
      bench: 'B6',
      case: `${int(tokens)} tokens (${mib(textBytes)} as UTF-16)`,
      metric: 'JS heap growth ÷ text size',
      ours: `+${mib(ours.heap)} = ${times(ours.heap / textBytes)}`,
      versus: `one Text node, no store +${mib(raw.heap)} = ${times(raw.heap / textBytes)}`,
      ratio: `streamed through the wire path in ${fmt(ours.streamMs / 1000)} s`,
      verdict: shownOk ? 'info' : 'failed',
      margin: shownOk ? '' : `shows ${ours.shownLength} of ${ours.textLength} characters`,
    }),
    row({
      bench: 'B6',
      case: `${int(tokens)} tokens (${mib(textBytes)} as UTF-16)`,
      metric: 'renderer memory growth ÷ text size',
      ours: `+${mib(ours.rss)} = ${times(ours.rss / textBytes)}`,
      versus: `one Text node +${mib(raw.rss)} = ${times(raw.rss / textBytes)}`,
      ratio: `freed on removal: ours ${mib(ours.rssFreed)} (${int(ours.nodes)} nodes), one node ${mib(raw.rssFreed)}`,
      verdict: 'info',
    }),
  ];
  return {
    id: 'B6',
    title: '<token-stream> memory after 1,000,000 tokens',
    rows,
    data: { tokens, perFrame, textBytes, ours, raw },
    notes: [
      'B6 method: tokens are framed as SSE bytes in the page and go through the sse adapter’s path (decoder → decodeEventText → ' +
        'ordered sink → store) into <token-stream>, 5,000 per frame; the reference appends the same text to one Text node. ' +
        'Readings follow a critical memory-pressure signal and two forced GCs; JS heap = CDP Runtime.getHeapUsage; renderer ' +
        'memory = VmRSS of the page’s renderer process (includes freed pages the allocator kept: an upper bound). The store ' +
        'keeps every token as its own string, but V8 internalises short JSON string values, so repeated short tokens share ' +
        'one string and cost about a pointer each. The shown text and its layout (shaping results) live in Blink, not the JS heap.',
    ],
    durationMs: performance.now() - started,
  };
}
