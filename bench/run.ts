/**
 * `npm run bench [-- --quick] [-- --only B1,B3]`: every benchmark in headless Chromium and Node,
 * one table on stdout, bench/results.json. Exits 1 when a benchmark crashed or the load test lost
 * events; timing and size targets are reported, never asserted (`npm run size` gates sizes).
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runB1 } from './b1-token-stream.ts';
import { runB2 } from './b2-wire.ts';
import { runB3 } from './b3-size.ts';
import { runB4 } from './b4-agent-log.ts';
import { runB5 } from './b5-load.ts';
import { runB6 } from './b6-memory.ts';
import { runB7 } from './b7-server-kit.ts';
import { runP2 } from './p2-markdown.ts';
import { runB8 } from './b8-transports.ts';
import { launchBrowser, type BrowserKit } from './lib/browser.ts';
import type { Benchmark, BenchContext } from './lib/context.ts';
import { formatTable, row, type BenchResult } from './lib/report.ts';
import { busyPct, machineCpu } from './lib/stats.ts';

const BENCHMARKS: Record<string, { run: Benchmark; title: string; browser: boolean }> = {
  B1: { run: runB1, title: '<token-stream> under a long, fast stream', browser: true },
  B2: { run: runB2, title: 'SSE bytes → store updates', browser: false },
  B3: { run: runB3, title: 'bundle sizes', browser: false },
  B4: { run: runB4, title: '<agent-log> with 100,000 entries', browser: true },
  B5: { run: runB5, title: 'mock server under 1,000 concurrent SSE runs', browser: false },
  B6: { run: runB6, title: '<token-stream> memory after 1,000,000 tokens', browser: true },
  B7: { run: runB7, title: 'server kit: memory vs Redis', browser: false },
  P2: {
    run: runP2,
    title: 'streaming markdown: <token-stream format="markdown"> beside smd, marked and naive',
    browser: true,
  },
  B8: { run: runB8, title: 'which transport? the same run over each', browser: true },
};

/** Parsed command line. */
interface Options {
  quick: boolean;
  only: string[];
  out: string;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    quick: false,
    only: Object.keys(BENCHMARKS),
    out: fileURLToPath(new URL('./results.json', import.meta.url)),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = (): string => inline ?? argv[++i] ?? '';
    if (flag === '--quick') options.quick = true;
    else if (flag === '--only') options.only = value().toUpperCase().split(',').filter(Boolean);
    else if (flag === '--out') options.out = value();
    else throw new Error(`unknown argument ${arg} (use --quick, --only B1,P2, --out file)`);
  }
  for (const id of options.only) if (!(id in BENCHMARKS)) throw new Error(`unknown benchmark ${id}`);
  return options;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const shared: { kit: Promise<BrowserKit> | null } = { kit: null };
  const ctx: BenchContext = {
    quick: options.quick,
    browser: () => (shared.kit ??= launchBrowser(['b1', 'b2', 'b4', 'p2', 'b8'])),
    log: (message) =>
      process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}\n`),
  };
  const results: BenchResult[] = [];
  try {
    for (const id of options.only) {
      const bench = BENCHMARKS[id]!;
      ctx.log(`${id}: ${bench.title}`);
      const t0 = performance.now();
      const cpu0 = await machineCpu();
      try {
        const result = await bench.run(ctx);
        result.machineBusyPct = busyPct(cpu0, await machineCpu());
        results.push(result);
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        ctx.log(`${id} crashed: ${message}`);
        results.push({
          id,
          title: bench.title,
          rows: [
            row({
              bench: id,
              case: '—',
              metric: 'crashed',
              ours: '—',
              verdict: 'failed',
              margin: message.split('\n')[0]!.slice(0, 120),
            }),
          ],
          data: { error: message },
          notes: [],
          durationMs: performance.now() - t0,
        });
      }
    }
  } finally {
    if (shared.kit)
      await shared.kit.then(
        (k) => k.close(),
        () => undefined,
      );
  }

  const rows = results.flatMap((r) => r.rows);
  const totalS = (performance.now() - started) / 1000;
  const browserVersion = shared.kit
    ? await shared.kit.then(
        (k) => k.version,
        () => null,
      )
    : null;
  const header =
    `agentwire benchmarks — ${options.quick ? 'quick (CI) mode' : 'full mode'} — ${new Date().toISOString()}\n` +
    `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}` +
    `${browserVersion ? `, Chromium ${browserVersion}` : ''}; ${totalS.toFixed(0)} s`;
  const busy = results.map(
    (r) =>
      `${r.id} ${Number.isFinite(r.machineBusyPct) ? `${r.machineBusyPct!.toFixed(0)}%` : '?'} (${(r.durationMs / 1000).toFixed(0)} s)`,
  );
  process.stdout.write(`\n${header}\n\n${formatTable(rows)}\n\n`);
  process.stdout.write(
    `- Machine busy (all processes, ${cpus().length} cores) during: ${busy.join(', ')}. Others share this machine: compare within a row, not across runs.\n`,
  );
  for (const r of results) for (const note of r.notes) process.stdout.write(`- ${note}\n`);

  await writeFile(
    options.out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        mode: options.quick ? 'quick' : 'full',
        machine: {
          cpus: cpus().length,
          model: cpus()[0]?.model,
          memory: totalmem(),
          loadavg: loadavg(),
          node: process.version,
          chromium: browserVersion,
        },
        durationS: totalS,
        rows,
        benchmarks: results,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`\nwrote ${options.out}\n`);
  const failed = rows.filter((r) => r.verdict === 'failed');
  for (const r of failed) process.stderr.write(`FAILED ${r.bench} ${r.case}: ${r.metric} ${r.margin}\n`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
