/**
 * Headless Chromium for the browser benchmarks: the pages under bench/pages are bundled as a user's
 * production build would be (esbuild, minified, NODE_ENV=production, lit's production build),
 * served from a static server on 127.0.0.1 (cross-origin isolated, so memory can be measured), and
 * driven over playwright-core with CDP for main-thread metrics and heap sizes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

/** Where Chromium lives on this machine kind (installed by apt; nothing is downloaded). */
export const CHROMIUM = CHROMIUM_PATH;

/** The project's headless flags plus the benchmarks' own. */
const BENCH_CHROMIUM_ARGS = [
  ...CHROMIUM_ARGS,
  // Measurement switches: exact performance.memory, window.gc(), and a memory measurement that
  // does not wait for the next natural GC.
  '--enable-precise-memory-info',
  '--js-flags=--expose-gc',
  '--enable-blink-features=ForceEagerMeasureMemory',
  // Keep timers and rAF running at full rate in a page nobody looks at.
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
];

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Main-thread time counters from CDP `Performance.getMetrics`, in ms of CPU time (thread ticks:
 * time the thread was descheduled by other processes on this shared machine does not count).
 */
export interface MainThreadTimes {
  /** Every task on the main thread. */
  task: number;
  script: number;
  layout: number;
  style: number;
  /** The whole renderer process (main thread, compositor, raster), for reference. */
  process: number;
}

/** A page opened for one measurement, with its CDP session. */
export interface BenchPage {
  page: Page;
  cdp: CDPSession;
  /** Uncaught errors and console errors of the page so far. */
  errors: string[];
  /** Throw when the page reported an error (a benchmark must not measure a broken element). */
  check(): void;
  /** Cumulative main-thread times so far. */
  times(): Promise<MainThreadTimes>;
  /** Force a full GC (twice) and return the used JS heap in bytes. */
  heap(): Promise<number>;
  close(): Promise<void>;
}

/** Main-thread tasks seen by a trace, by wall and by CPU (thread) duration. */
export interface TaskTrace {
  tasks: number;
  /** Tasks over 50 ms of wall time (what PerformanceObserver calls long tasks). */
  wallOver50: number;
  /** Tasks over 50 ms of CPU time on the main thread (time descheduled by the OS does not count). */
  cpuOver50: number;
  maxWallMs: number;
  maxCpuMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Summarise the renderer main thread's tasks of a Chrome trace. */
function summariseTrace(json: string): TaskTrace {
  const { traceEvents } = JSON.parse(json) as { traceEvents: TraceEvent[] };
  const mains = new Set(
    traceEvents
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of traceEvents) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || !mains.has(key)) continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(e);
  }
  // The page's main thread is the busiest renderer main thread.
  const tasks = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  return {
    tasks: tasks.length,
    wallOver50: tasks.filter((t) => (t.dur ?? 0) > 50_000).length,
    cpuOver50: tasks.filter((t) => (t.tdur ?? 0) > 50_000).length,
    // A reduce, not Math.max(...spread): a full replay has over 100,000 tasks, past the argument limit.
    maxWallMs: tasks.reduce((max, t) => Math.max(max, (t.dur ?? 0) / 1000), 0),
    maxCpuMs: tasks.reduce((max, t) => Math.max(max, (t.tdur ?? 0) / 1000), 0),
  };
}

/** The browser plus the static server of the bundled pages. */
export interface BrowserKit {
  browser: Browser;
  version: string;
  /** Open `name` (a page entry under bench/pages, e.g. `b1`) in a fresh context. */
  open(name: string): Promise<BenchPage>;
  /** Run `fn` while tracing `page`'s tasks (toplevel category only); returns its result and the task summary. */
  traceTasks<T>(page: BenchPage, fn: () => Promise<T>): Promise<{ result: T; trace: TaskTrace }>;
  /** Resident set size (bytes) of every renderer process, by pid. */
  rendererRss(): Promise<Map<number, number>>;
  close(): Promise<void>;
}

/** Bundle every page entry into a temporary folder. */
async function bundlePages(entries: readonly string[], outdir: string): Promise<void> {
  await build({
    entryPoints: Object.fromEntries(entries.map((name) => [name, join(ROOT, 'bench/pages', `${name}.ts`)])),
    outdir,
    bundle: true,
    // BENCH_MINIFY=0 keeps names readable in CPU profiles.
    minify: process.env['BENCH_MINIFY'] !== '0',
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    tsconfig: join(ROOT, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
}

const HTML = (name: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title><link rel="icon" href="data:,">` +
  `<style>body{margin:0;font:14px/1.5 system-ui,sans-serif}</style></head>` +
  `<body><script type="module" src="/${name}.js"></script></body></html>`;

/** Serve `dir` on a free loopback port; `/<name>.html` is generated for each page entry. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    };
    const html = /^\/(\w[\w-]*)\.html$/.exec(path);
    if (html) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
      res.end(HTML(html[1]!));
      return;
    }
    readFile(join(dir, path)).then(
      (body) => {
        res.writeHead(200, {
          ...headers,
          'Content-Type': path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream',
        });
        res.end(body);
      },
      () => {
        res.writeHead(404, headers);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Launch Chromium and serve the bundled `entries`. */
export async function launchBrowser(entries: readonly string[]): Promise<BrowserKit> {
  const dir = await mkdtemp(join(tmpdir(), 'agentwire-bench-'));
  let server: Server | null = null;
  let browser: Browser | null = null;
  let url = '';
  let system: CDPSession;
  try {
    await bundlePages(entries, dir);
    ({ server, url } = await serve(dir));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: BENCH_CHROMIUM_ARGS });
    system = await browser.newBrowserCDPSession();
  } catch (error) {
    await browser?.close();
    server?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const live = { browser, server: server };
  return {
    browser: live.browser,
    version: live.browser.version(),
    async traceTasks(page, fn) {
      await live.browser.startTracing(page.page, { categories: ['toplevel', '__metadata'] });
      const outcome = await fn().then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const buffer = await live.browser.stopTracing();
      if (!outcome.ok) throw outcome.error;
      return { result: outcome.value, trace: summariseTrace(buffer.toString('utf8')) };
    },
    async rendererRss() {
      const { processInfo } = await system.send('SystemInfo.getProcessInfo');
      const out = new Map<number, number>();
      for (const info of processInfo) {
        if (info.type !== 'renderer') continue;
        const status = await readFile(`/proc/${info.id}/status`, 'utf8').catch(() => '');
        const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
        if (kb) out.set(info.id, Number(kb[1]) * 1024);
      }
      return out;
    },
    async open(name) {
      const context = await live.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
      await page.goto(`${url}/${name}.html`);
      await page
        .waitForFunction((global) => global in window, name, { timeout: 30_000 })
        .catch((error: unknown) => {
          throw new Error(`page ${name} did not load: ${errors.join('; ') || String(error)}`);
        });
      return {
        page,
        cdp,
        errors,
        check() {
          if (errors.length > 0) throw new Error(`page ${name} reported: ${errors.slice(0, 3).join('; ')}`);
        },
        async times() {
          const { metrics } = await cdp.send('Performance.getMetrics');
          const get = (name: string): number => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
          return {
            task: get('TaskDuration'),
            script: get('ScriptDuration'),
            layout: get('LayoutDuration'),
            style: get('RecalcStyleDuration'),
            process: get('ProcessTime'),
          };
        },
        async heap() {
          await cdp.send('HeapProfiler.collectGarbage');
          await cdp.send('HeapProfiler.collectGarbage');
          const { usedSize } = await cdp.send('Runtime.getHeapUsage');
          return usedSize;
        },
        close: () => context.close(),
      };
    },
    async close() {
      await live.browser.close();
      await new Promise<void>((resolve) => live.server.close(() => resolve()));
      live.server.closeAllConnections();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Difference of two main-thread time readings. */
export function timesBetween(a: MainThreadTimes, b: MainThreadTimes): MainThreadTimes {
  return {
    task: b.task - a.task,
    script: b.script - a.script,
    layout: b.layout - a.layout,
    style: b.style - a.style,
    process: b.process - a.process,
  };
}
