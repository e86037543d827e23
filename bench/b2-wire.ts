/**
 * B2 — SSE bytes → store updates: ours vs @microsoft/fetch-event-source's parser vs
 * eventsource-parser alone, on 16-byte and 64 KiB chunks, plus one long data line (256 KiB, 1 MiB,
 * 4 MiB) to show whether cost stays linear. Measured in Chromium (where the client runs) and in
 * Node, with the same code (bench/pages/wire.ts).
 */
import type { BenchContext } from './lib/context.ts';
import { row, type BenchResult, type Row } from './lib/report.ts';
import { fmt, int, times } from './lib/stats.ts';
import { measureWire, WIRE_PARSERS, type WireOptions, type WireParser, type WireResults } from './pages/wire.ts';

const SHORT: Record<WireParser, string> = { ours: 'ours', 'fetch-event-source': 'fes', 'eventsource-parser': 'esp' };

function streamRows(env: string, options: WireOptions, results: WireResults): Row[] {
  const rows: Row[] = [];
  for (const size of [16, 64 * 1024]) {
    const label = size === 16 ? '16-byte chunks' : '64 KiB chunks';
    for (const mode of ['store', 'parse'] as const) {
      const c = results.streams[`${size} ${mode}`]!;
      const med = c.medianMs;
      const perEvent = (p: WireParser): string => `${fmt((med[p] * 1000) / (options.events + 1))} µs/ev`;
      const mbps = fmt(results.bytes / 1024 / 1024 / (med.ours / 1000));
      const vsFes = med['fetch-event-source'] / med.ours;
      const vsEsp = med['eventsource-parser'] / med.ours;
      const judged = size === 16 && mode === 'store';
      rows.push(
        row({
          bench: 'B2',
          case: `${env}: ${int(options.events)} token events, ${label}`,
          metric: mode === 'store' ? 'bytes → store (decode+sink+store)' : 'parse only (events counted)',
          ours: `${perEvent('ours')} (${mbps} MiB/s)`,
          versus: `fes ${perEvent('fetch-event-source')} · esp ${perEvent('eventsource-parser')}`,
          ratio: `${times(vsFes)} vs fes · ${times(vsEsp)} vs esp`,
          target: judged ? '≥ 5× fes' : '',
          verdict: judged ? (vsFes >= 5 ? 'met' : 'missed') : 'info',
          margin: judged ? (vsFes >= 5 ? `${fmt(vsFes / 5)}× beyond` : `${fmt(5 / vsFes)}× short`) : '',
        }),
      );
    }
  }
  const sizes = options.lineSizes;
  const sizeName = (b: number): string => (b >= 1024 * 1024 ? `${b / 1024 / 1024} MiB` : `${b / 1024} KiB`);
  const from = sizes.indexOf(256 * 1024);
  const at1m = sizes.indexOf(1024 * 1024);
  for (const chunkSize of [64 * 1024, 16]) {
    const table = results.lines[String(chunkSize)]!;
    const fastest = results.linesMin[String(chunkSize)]!;
    /**
     * Growth exponent (1 = linear, 2 = quadratic) from the 256 KiB point to the largest measured one;
     * for a parser whose larger sizes were skipped, over the widest span measured. From the fastest
     * pass at each size: on a shared machine other processes only ever add time, which can bend a
     * median curve either way.
     */
    const exponent = (
      p: WireParser,
      source: Record<WireParser, (number | null)[]> = fastest,
    ): { k: number; span: string } | null => {
      const v = source[p];
      const measured = v.map((ms, i) => (ms === null ? -1 : i)).filter((i) => i >= 0);
      const last = measured.at(-1);
      const first = last !== undefined && last > from && typeof v[from] === 'number' ? from : measured[0];
      if (first === undefined || last === undefined || last <= first) return null;
      return {
        k: Math.log(v[last]! / v[first]!) / Math.log(sizes[last]! / sizes[first]!),
        span: `${sizeName(sizes[first]!)}→${sizeName(sizes[last]!)}`,
      };
    };
    const describe = (p: WireParser): string => {
      const perByte = table[p].map((ms, i) => (ms === null ? '—' : fmt((ms * 1e6) / sizes[i]!, 2))).join('/');
      const e = exponent(p);
      return `${perByte} ns/B${e ? `, k=${fmt(e.k, 2)}${e.span === '256 KiB→4 MiB' ? '' : ` (${e.span})`}` : ''}`;
    };
    const k = exponent('ours');
    const kMedian = exponent('ours', table);
    const oursAt1m = table.ours[at1m];
    const ratios = (['fetch-event-source', 'eventsource-parser'] as const)
      .map((p) => {
        const theirs = table[p][at1m];
        return typeof theirs === 'number' && typeof oursAt1m === 'number'
          ? `${times(theirs / oursAt1m)} vs ${SHORT[p]}`
          : `${SHORT[p]} skipped`;
      })
      .join(' · ');
    rows.push(
      row({
        bench: 'B2',
        case: `${env}: one data line of ${sizes.map(sizeName).join('/')}, ${chunkSize === 16 ? '16-byte' : '64 KiB'} chunks`,
        metric: 'ns/byte at each size (median); k = growth exponent 256 KiB→4 MiB (fastest pass)',
        ours: describe('ours'),
        versus: `fes ${describe('fetch-event-source')} · esp ${describe('eventsource-parser')}`,
        ratio: `at 1 MiB: ${ratios}`,
        target: 'linear (k ≤ 1.2)',
        verdict: k !== null && k.k <= 1.2 ? 'met' : 'missed',
        margin:
          k === null
            ? 'not measured'
            : `k = ${fmt(k.k, 2)} (1 linear, 2 quadratic)${kMedian ? `; from medians ${fmt(kMedian.k, 2)}` : ''}`,
      }),
    );
  }
  return rows;
}

/** Run B2. */
export async function runB2(ctx: BenchContext): Promise<BenchResult> {
  const started = performance.now();
  const options: WireOptions = {
    events: ctx.quick ? 5_000 : 20_000,
    rounds: ctx.quick ? 3 : 7,
    lineSizes: [64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024],
    lineRounds: ctx.quick ? 3 : 9,
    lineBudgetMs: ctx.quick ? 1_000 : 8_000,
  };
  const kit = await ctx.browser();
  const page = await kit.open('b2');
  let browser: WireResults;
  try {
    ctx.log('B2 in Chromium');
    const out = await page.page.evaluate((o) => window.b2!.run(o), options);
    for (const line of out.log) ctx.log(`B2 Chromium ${line}`);
    browser = out.results;
    page.check();
  } finally {
    await page.close();
  }
  ctx.log('B2 in Node');
  // Wall time: process CPU time would add V8's concurrent compiler and GC threads.
  const node = measureWire(options, (line) => ctx.log(`B2 Node ${line}`));

  const rows = [...streamRows('Chromium', options, browser), ...streamRows('Node', options, node)];
  const notes = [
    'B2 method: the mock server framing (id/event/data lines), pre-cut into chunks; every parser feeds the same consumer ' +
      '(decodeEventText → ordered sink → store, flushed per chunk); "parse only" counts events instead. Medians of ' +
      `${options.rounds} interleaved passes (wall time), GC before each (${browser.gc && node.gc ? 'on' : 'UNAVAILABLE'}). ` +
      'fes = @microsoft/fetch-event-source ' +
      '(getLines → getMessages), esp = eventsource-parser + streaming TextDecoder. Long lines: a size whose projected time ' +
      `(from the growth seen so far) is over ${fmt(options.lineBudgetMs / 1000)} s is skipped (—).`,
  ];
  return {
    id: 'B2',
    title: 'SSE bytes → store updates',
    rows,
    data: { options, chromium: browser, node, parsers: WIRE_PARSERS },
    notes,
    durationMs: performance.now() - started,
  };
}
