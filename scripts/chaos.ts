/**
 * `npm run chaos`: seeded random fault schedules against the mock server, for every transport,
 * in headless Chromium. Each run's plan (test/chaos/plan.ts) picks a scenario, a pace and faults —
 * cuts, duplicates, reordering, left-out events, delay bursts, 503s on reconnect, proxy buffering,
 * malformed frames, every connection of the run or of the whole server cut at once — and the page
 * (test/chaos/driver.ts) plays it with a real transport and checks the client against the server.
 * The runner adds the server-side checks (no reply received more than the client sent it, none
 * accepted twice) and prints a summary; a failure prints its seed and the command that replays it.
 *
 *   npm run chaos                         1,000 runs, seed 1, every transport
 *   npm run chaos -- --runs 200           CI size (npm run chaos:ci)
 *   npm run chaos -- --seed 42 --transport sse --concurrency 8 --verbose
 *   npm run chaos -- --seed random        a fresh batch seed (printed)
 *   npm run chaos -- --replay 0x1a2b3c4d:hybrid   one run, exactly as it was planned
 *   npm run chaos -- --redis              against two mock servers on one redis-server (started
 *                                         here), behind round-robin balancers: every connection
 *                                         may land on the other instance (npm run chaos:ci:redis)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { FAULT_KINDS, type FaultKind } from '../mock-server/faults.ts';
import type { MockRun } from '../mock-server/registry.ts';
import { startMockServer, type MockServer } from '../mock-server/server.ts';
import { createRedisRunLog } from '../src/server/redis/index.ts';
import { startBalancer, type Balancer } from '../test/shared/balancer.ts';
import { startRedis, type RedisServer } from '../test/shared/redis-server.ts';
import type { TransportName } from '../src/transports/types.ts';
import {
  batchTransport,
  CHAOS_TRANSPORTS,
  chaosPlan,
  formatSeed,
  runSeed,
  type ChaosPlan,
} from '../test/chaos/plan.ts';
import type { ChaosRunResult } from '../test/chaos/types.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

/** Runs kept in flight at once. */
const DEFAULT_CONCURRENCY = 16;
/** Runs per loopback origin: Chromium allows 6 HTTP connections per origin, a run holds up to 2. */
const RUNS_PER_ORIGIN = 2;
/** A run the page has not reported on after this long is failed by the runner. */
const RUN_DEADLINE_MS = 60_000;

interface Options {
  runs: number;
  seed: number;
  transport: TransportName | undefined;
  concurrency: number;
  replay: { seed: number; transport: TransportName } | undefined;
  verbose: boolean;
  redis: boolean;
}

function fail(message: string): never {
  process.stderr.write(`chaos: ${message}\n`);
  process.exit(2);
}

function parseSeed(text: string): number {
  const value = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : Number(text);
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffff_ffff) fail(`bad seed ${JSON.stringify(text)}`);
  return value;
}

function parseTransport(text: string): TransportName {
  if (!(CHAOS_TRANSPORTS as readonly string[]).includes(text))
    fail(`--transport must be one of ${CHAOS_TRANSPORTS.join(', ')}`);
  return text as TransportName;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    runs: 1000,
    seed: 1,
    transport: undefined,
    concurrency: DEFAULT_CONCURRENCY,
    replay: undefined,
    verbose: false,
    redis: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => argv[++i] ?? fail(`${arg} needs a value`);
    if (arg === '--runs') options.runs = Number(value());
    else if (arg === '--seed') {
      const raw = value();
      options.seed = raw === 'random' ? Math.floor(Math.random() * 0xffff_ffff) : parseSeed(raw);
    } else if (arg === '--transport') options.transport = parseTransport(value());
    else if (arg === '--concurrency') options.concurrency = Number(value());
    else if (arg === '--replay') {
      const [seed, transport] = value().split(':');
      options.replay = { seed: parseSeed(seed ?? ''), transport: parseTransport(transport ?? '') };
    } else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--redis') options.redis = true;
    else fail(`unknown argument ${arg} (see the header of scripts/chaos.ts)`);
  }
  if (!Number.isSafeInteger(options.runs) || options.runs < 1) fail('--runs must be a positive integer');
  if (!Number.isSafeInteger(options.concurrency) || options.concurrency < 1)
    fail('--concurrency must be a positive integer');
  return options;
}

/** The servers a chaos batch runs against. */
interface ChaosBackend {
  /** What it is, for the header. */
  readonly name: string;
  /** Base URLs the page spreads its runs over (each one its own Chromium connection pool). */
  readonly origins: readonly string[];
  /** Every instance's record of a run (one in memory; up to one per instance on Redis). */
  records(runId: string): MockRun[];
  /** Cut every open connection of every instance; returns how many. */
  dropConnections(): number;
  /** Open connections of every instance. */
  openConnections(): number;
  close(): Promise<void>;
}

/** More loopback origins for the same mock app (each gets its own Chromium connection pool). */
async function extraOrigins(mock: MockServer, count: number): Promise<{ urls: string[]; servers: Server[] }> {
  const servers: Server[] = [];
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer({ noDelay: true }, (req, res) => mock.app.handle(req, res));
    server.on('upgrade', (req, socket, head: Buffer) => {
      if (!mock.app.handleUpgrade(req, socket, head)) socket.destroy();
    });
    server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  return { urls, servers };
}

/** One mock server in memory, on several origins. */
async function memoryBackend(origins: number): Promise<ChaosBackend> {
  const mock = await startMockServer({ port: 0 });
  const extra = await extraOrigins(mock, Math.max(0, origins - 1));
  return {
    name: 'one mock server, runs in memory',
    origins: [mock.url, ...extra.urls],
    records: (runId) => {
      const run = mock.app.registry.get(runId);
      return run ? [run] : [];
    },
    dropConnections: () => mock.dropConnections(),
    openConnections: () => mock.openConnections(),
    close: async () => {
      for (const server of extra.servers) {
        server.closeAllConnections();
        server.close();
      }
      await mock.close();
    },
  };
}

/** Two mock servers on one redis-server, each origin a round-robin balancer over both. */
async function redisBackend(origins: number): Promise<ChaosBackend> {
  const redis: RedisServer = await startRedis();
  const instances = await Promise.all(
    [0, 1].map(async () => startMockServer({ port: 0, log: await createRedisRunLog({ url: redis.url }) })),
  );
  const balancers: Balancer[] = await Promise.all(
    Array.from({ length: Math.max(1, origins) }, () =>
      startBalancer(
        instances.map((i) => i.port),
        'round-robin',
      ),
    ),
  );
  return {
    name: `two mock servers on one redis-server (${redis.url}), ${balancers.length} round-robin balancers in front`,
    origins: balancers.map((b) => b.url),
    records: (runId) => instances.flatMap((i) => i.app.registry.get(runId) ?? []),
    dropConnections: () => instances.reduce((n, i) => n + i.dropConnections(), 0),
    openConnections: () => instances.reduce((n, i) => n + i.openConnections(), 0),
    close: async () => {
      await Promise.all(balancers.map((b) => b.close()));
      await Promise.all(instances.map((i) => i.close()));
      await redis.stop();
    },
  };
}

/** A free loopback port (Vite's client needs the real port to reach its own WebSocket). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startPage(root: string): Promise<ViteDevServer> {
  const vite = await createViteServer({
    configFile: false,
    root,
    cacheDir: fileURLToPath(new URL('../node_modules/.vite-chaos', import.meta.url)),
    logLevel: 'error',
    clearScreen: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('development') },
    optimizeDeps: { include: ['nanostores', 'eventsource-parser'], entries: ['index.html'] },
    server: { host: '127.0.0.1', port: await freePort(), strictPort: true, watch: null },
  });
  await vite.listen();
  return vite;
}

/** How a replayed reply is reported (and counted). */
const REPLAYED = 'a reply was replayed';

/** Server-side checks of one run: the run's reply record (over every instance) against what the page sent. */
function serverChecks(backend: ChaosBackend, result: ChaosRunResult): string[] {
  const failures: string[] = [];
  const records = backend.records(result.runId);
  if (records.length === 0) return result.runId === '' ? failures : [`the server does not know run ${result.runId}`];
  const sent = new Map<string, number>();
  for (const attempt of result.replies) sent.set(attempt.token, (sent.get(attempt.token) ?? 0) + 1);
  const received = new Map<string, number>();
  const accepted = new Map<string, number>();
  for (const run of records)
    for (const reply of run.replies) {
      received.set(reply.resumeToken, (received.get(reply.resumeToken) ?? 0) + 1);
      if (reply.accepted) accepted.set(reply.resumeToken, (accepted.get(reply.resumeToken) ?? 0) + 1);
    }
  for (const [token, n] of received) {
    const m = sent.get(token) ?? 0;
    if (n > m) failures.push(`${REPLAYED}: the server received ${n} replies for ${token}, the client sent ${m}`);
  }
  for (const token of result.questions) {
    const n = accepted.get(token) ?? 0;
    if (n !== 1) failures.push(`question ${token} was accepted ${n} times on the server`);
  }
  for (const run of records)
    if (run.repliesReceived !== run.replies.length)
      failures.push(`${run.repliesReceived} replies received, more than recorded`);
  return failures;
}

interface Totals {
  runs: number;
  failed: number;
  byTransport: Map<string, number>;
  autoWinner: Map<string, number>;
  planned: Map<string, number>;
  injected: Map<FaultKind | 'drop-all', number>;
  events: number;
  tokens: number;
  lost: number;
  duplicated: number;
  logEntries: number;
  duplicatesDropped: number;
  gaps: number;
  snapshots: number;
  reconnects: number;
  clientErrors: number;
  repliesSent: number;
  repliesUndelivered: number;
  repliesRejected: number;
  serverReplies: number;
  serverAccepted: number;
  replayed: number;
  questions: number;
  slowest: number;
}

function add<K>(map: Map<K, number>, key: K, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

function describePlan(plan: ChaosPlan): string {
  const query = Object.entries(plan.query)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${plan.transport} ${plan.scenario} speed ${plan.speed} [${plan.faults.join(', ') || 'no faults'}]${query ? ` ?${query}` : ''}${plan.dropAllAt === null ? '' : ` drop-all at seq ${plan.dropAllAt}`}`;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const plans: ChaosPlan[] = options.replay
    ? [chaosPlan(options.replay.seed, options.replay.transport)]
    : Array.from({ length: options.runs }, (_, i) =>
        chaosPlan(runSeed(options.seed, i), batchTransport(i, options.transport)),
      );
  const concurrency = Math.min(options.concurrency, plans.length);
  const batchCommand = `npm run chaos -- --seed ${options.seed} --runs ${options.runs}${options.transport ? ` --transport ${options.transport}` : ''} --concurrency ${concurrency}${options.redis ? ' --redis' : ''}`;
  console.log(
    options.replay
      ? `chaos: replaying ${formatSeed(options.replay.seed)}:${options.replay.transport}`
      : `chaos: ${plans.length} runs, seed ${options.seed}, concurrency ${concurrency} (${batchCommand})`,
  );

  const originCount = Math.ceil(concurrency / RUNS_PER_ORIGIN);
  const backend = options.redis ? await redisBackend(originCount) : await memoryBackend(originCount);
  const origins = backend.origins;
  console.log(`chaos: against ${backend.name}`);
  let vite: ViteDevServer | undefined;
  let browser: Browser | undefined;
  const totals: Totals = {
    runs: 0,
    failed: 0,
    byTransport: new Map(),
    autoWinner: new Map(),
    planned: new Map(),
    injected: new Map(),
    events: 0,
    tokens: 0,
    lost: 0,
    duplicated: 0,
    logEntries: 0,
    duplicatesDropped: 0,
    gaps: 0,
    snapshots: 0,
    reconnects: 0,
    clientErrors: 0,
    repliesSent: 0,
    repliesUndelivered: 0,
    repliesRejected: 0,
    serverReplies: 0,
    serverAccepted: 0,
    replayed: 0,
    questions: 0,
    slowest: 0,
  };
  const pageProblems: string[] = [];
  let drops = 0;
  let dropped = 0;
  try {
    vite = await startPage(fileURLToPath(new URL('../test/chaos/', import.meta.url)));
    const pageUrl = vite.resolvedUrls?.local[0] ?? fail('Vite did not report its URL');
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    const page = await browser.newPage();
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource|ERR_|WebSocket connection/.test(message.text()))
        pageProblems.push(`console: ${message.text()}`);
    });
    page.on('crash', () => pageProblems.push('the page crashed'));
    await page.exposeFunction('__chaosDropAll', () => {
      drops++;
      const n = backend.dropConnections();
      dropped += n;
      return n;
    });
    await page.goto(`${pageUrl}index.html`);
    await page.waitForFunction(() => window.__chaos !== undefined, undefined, { timeout: 30_000 });

    let next = 0;
    let reported = 0;
    const step = Math.max(1, Math.floor(plans.length / 10));
    const worker = async (slot: number): Promise<void> => {
      while (next < plans.length) {
        const index = next++;
        const plan = plans[index]!;
        const baseUrl = origins[slot % origins.length]!;
        let result: ChaosRunResult;
        try {
          result = await Promise.race([
            page.evaluate(([p, b]) => window.__chaos!.run(p, b), [plan, baseUrl] as const),
            new Promise<never>((_, reject) =>
              setTimeout(() => reject(new Error(`no report within ${RUN_DEADLINE_MS} ms`)), RUN_DEADLINE_MS).unref(),
            ),
          ]);
        } catch (error) {
          result = {
            plan,
            baseUrl,
            runId: '',
            failures: [`the page failed: ${String(error)}`],
            durationMs: 0,
            events: 0,
            tokens: 0,
            lost: 0,
            duplicated: 0,
            logEntries: 0,
            stats: { applied: 0, duplicates: 0, gaps: 0, clientErrors: 0 },
            snapshots: 0,
            reconnects: 0,
            transportUsed: null,
            replies: [],
            questions: [],
            droppedAll: false,
          };
        }
        const failures = [...result.failures, ...serverChecks(backend, result)];
        record(totals, backend, result, failures.length > 0);
        totals.replayed += failures.filter((f) => f.startsWith(REPLAYED)).length;
        if (failures.length > 0) {
          console.log(
            `\n✖ run ${index + 1} FAILED — seed ${formatSeed(plan.seed)}: ${describePlan(plan)}${result.runId ? ` (${result.runId})` : ''}`,
          );
          for (const f of failures) console.log(`    ${f}`);
          if (result.replies.length > 0)
            console.log(
              `    replies: ${result.replies.map((r) => `${r.token.slice(-6)} ${r.outcome}/${String(r.status)}`).join(', ')}`,
            );
          console.log(
            `    replay: npm run chaos -- --replay ${formatSeed(plan.seed)}:${plan.transport}${options.redis ? ' --redis' : ''}${drops > 0 ? `   (or the whole batch: ${batchCommand}; server-wide drops by other runs may have hit it)` : ''}`,
          );
        } else if (options.verbose) {
          console.log(
            `✔ ${formatSeed(plan.seed)} ${describePlan(plan)}: ${result.tokens} tokens, ${result.reconnects} reconnects, ${result.durationMs} ms`,
          );
        }
        reported++;
        if (!options.verbose && plans.length >= 20 && reported % step === 0)
          console.log(
            `  … ${reported}/${plans.length} runs (${totals.failed} failed, ${((Date.now() - started) / 1000).toFixed(0)} s)`,
          );
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, slot) => worker(slot)));
    await page.close();
  } finally {
    await browser?.close();
    await vite?.close();
  }

  // Every transport was stopped: the server must have no connection left (checked before closing it).
  const deadline = Date.now() + 5000;
  while (backend.openConnections() > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const leftOpen = backend.openConnections();
  await backend.close();

  if (drops > 0) totals.injected.set('drop-all', drops);
  printSummary(totals, {
    seconds: (Date.now() - started) / 1000,
    seed: options.seed,
    dropped,
    leftOpen,
    pageProblems,
    replay: options.replay !== undefined,
  });
  const failed = totals.failed > 0 || leftOpen > 0 || pageProblems.length > 0;
  process.exit(failed ? 1 : 0);
}

function record(totals: Totals, backend: ChaosBackend, result: ChaosRunResult, failed: boolean): void {
  totals.runs++;
  if (failed) totals.failed++;
  add(totals.byTransport, result.plan.transport);
  if (result.plan.transport === 'auto' && result.transportUsed) add(totals.autoWinner, result.transportUsed);
  for (const fault of result.plan.faults) add(totals.planned, fault);
  for (const run of backend.records(result.runId)) {
    for (const [kind, n] of run.faultCounts) add(totals.injected, kind, n);
    totals.serverReplies += run.repliesReceived;
    totals.serverAccepted += run.replies.filter((r) => r.accepted).length;
  }
  totals.events += result.events;
  totals.tokens += result.tokens;
  totals.lost += result.lost;
  totals.duplicated += result.duplicated;
  totals.logEntries += result.logEntries;
  totals.duplicatesDropped += result.stats.duplicates;
  totals.gaps += result.stats.gaps;
  totals.clientErrors += result.stats.clientErrors;
  totals.snapshots += result.snapshots;
  totals.reconnects += result.reconnects;
  totals.repliesSent += result.replies.length;
  totals.repliesUndelivered += result.replies.filter((r) => r.outcome === 'not_delivered').length;
  totals.repliesRejected += result.replies.filter((r) => r.outcome === 'rejected').length;
  totals.questions += result.questions.length;
  totals.slowest = Math.max(totals.slowest, result.durationMs);
}

function list(map: Map<string, number>, order: readonly string[] = []): string {
  const keys = [...order.filter((k) => map.has(k)), ...[...map.keys()].filter((k) => !order.includes(k)).sort()];
  return keys.map((k) => `${k} ${map.get(k)!.toLocaleString('en')}`).join(', ') || 'none';
}

function printSummary(
  totals: Totals,
  info: { seconds: number; seed: number; dropped: number; leftOpen: number; pageProblems: string[]; replay: boolean },
): void {
  const n = (x: number): string => x.toLocaleString('en');
  const injectedTotal = [...totals.injected.values()].reduce((a, b) => a + b, 0);
  console.log(
    `\nchaos summary${info.replay ? ' (replay)' : ` (seed ${info.seed})`}: ${n(totals.runs)} runs in ${info.seconds.toFixed(1)} s, slowest run ${n(totals.slowest)} ms`,
  );
  console.log(
    `  transports      ${list(totals.byTransport, CHAOS_TRANSPORTS)}${totals.autoWinner.size ? ` (auto settled on: ${list(totals.autoWinner)})` : ''}`,
  );
  console.log(`  faults planned  ${list(totals.planned)}`);
  console.log(
    `  faults injected ${n(injectedTotal)}: ${list(totals.injected, [...FAULT_KINDS, 'drop-all'])}${info.dropped ? ` (drop-all cut ${n(info.dropped)} connections)` : ''}`,
  );
  console.log(
    `  events          ${n(totals.events)} checked, ${n(totals.logEntries)} log entries compared, ${n(totals.duplicatesDropped)} duplicate deliveries dropped by the store, ${n(totals.gaps)} gaps reaching the store (the sink holds early events), ${n(totals.snapshots)} snapshot rebuilds, ${n(totals.reconnects)} reconnects, ${n(totals.clientErrors)} malformed frames shown`,
  );
  console.log(
    `  tokens          ${n(totals.tokens)} checked, ${n(totals.lost)} lost, ${n(totals.duplicated)} duplicated`,
  );
  console.log(
    `  replies         ${n(totals.questions)} questions; the client sent ${n(totals.repliesSent)} answers (${n(totals.repliesUndelivered)} shown undelivered, then sent again by the "user"; ` +
      `${n(totals.repliesRejected)} shown rejected); the server received ${n(totals.serverReplies)} and accepted ${n(totals.serverAccepted)}; ${n(totals.replayed)} replayed`,
  );
  if (info.leftOpen > 0)
    console.log(`  ✖ ${info.leftOpen} connection(s) still open on the server after every transport was stopped`);
  for (const problem of info.pageProblems.slice(0, 10)) console.log(`  ✖ ${problem}`);
  console.log(
    `  failures        ${n(totals.failed)}${totals.failed + info.leftOpen + info.pageProblems.length === 0 ? ' ✔' : ' ✖'}`,
  );
}

await main();
