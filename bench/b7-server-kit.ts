/**
 * B7 — the server kit, memory vs Redis, side by side in one run: the same SSE load (N runs at
 * ~50 tok/s, B5's server and client processes) on one instance with its runs in memory and on
 * Redis; the same load across two instances on one Redis (each run created on one, read on the
 * other); resume latency (a reconnect with Last-Event-ID until its first event) on the same
 * instance in memory and on the other instance on Redis; Redis memory per 1,000 events, and the
 * in-memory log's JS heap per 1,000 events.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { createRunKit, MemoryRunLog, type ProducerRun } from '../src/server/index.ts';
import { createRedisRunLog } from '../src/server/redis/index.ts';
import { startRedis, type RedisServer } from '../test/shared/redis-server.ts';
import type { LoadClientConfig, LoadClientResult, LoadMessage, ServerStats, Spread } from './b5-shared.ts';
import { nextMessage, start, stop } from './b5-load.ts';
import { spreadOf } from './lib/load-window.ts';
import type { BenchContext } from './lib/context.ts';
import { row, type BenchResult, type Row } from './lib/report.ts';
import { fmt, int, mib } from './lib/stats.ts';

/** ~50 tok/s per run (the long scenario's 20–40 ms pauses at speed 1.5). */
const SPEED = 1.5;

interface Load {
  readonly client: LoadClientResult;
  readonly servers: ServerStats[];
  /** redis-server's CPU over the load, % of one core (NaN without /proc). */
  readonly redisCpuPct: number;
}

/** CPU time of a process so far, ms (Linux /proc; NaN elsewhere). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Start `count` B5 server processes with `env`; resolves with their URLs. */
async function servers(
  count: number,
  env: Record<string, string>,
  tokens: number,
): Promise<{ urls: string[]; children: ChildProcess[] }> {
  const children = Array.from({ length: count }, () =>
    start('./b5-server.ts', [], { B5_TOKENS: String(tokens), B5_SPEED: String(SPEED), ...env }),
  );
  const urls = await Promise.all(children.map(async (child) => (await nextMessage(child, 'ready', 30_000)).url));
  return { urls, children };
}

/**
 * One load: `instances` server processes (on Redis when given), one client process. The runs wait
 * until the client has opened every stream, then all start (`go`): N runs stream at once.
 */
async function load(runs: number, tokens: number, instances: number, redis?: RedisServer): Promise<Load> {
  const { urls, children } = await servers(
    instances,
    { B5_GATED: '1', ...(redis && { B5_REDIS_URL: redis.url }) },
    tokens,
  );
  let client: ChildProcess | undefined;
  try {
    for (const child of children) child.send({ kind: 'begin' } satisfies LoadMessage);
    const redisCpu = cpuMsOf(redis?.process.pid);
    const wall = performance.now();
    const config: LoadClientConfig = {
      url: urls[0]!,
      runs,
      tokens,
      speed: SPEED,
      ...(instances > 1 && { crossUrls: urls }),
    };
    client = start('./b5-client.ts', [JSON.stringify(config)], {});
    client.on('message', (message: LoadMessage) => {
      if (message.kind === 'open') for (const child of children) child.send({ kind: 'go' } satisfies LoadMessage);
    });
    const { result } = await nextMessage(client, 'result', 180_000 + tokens * 100);
    const redisCpuPct = ((cpuMsOf(redis?.process.pid) - redisCpu) / (performance.now() - wall)) * 100;
    const stats: ServerStats[] = [];
    for (const child of children) {
      child.send({ kind: 'end' } satisfies LoadMessage);
      stats.push((await nextMessage(child, 'stats', 30_000)).stats);
    }
    return { client: result, servers: stats, redisCpuPct };
  } finally {
    if (client) await stop(client);
    await Promise.all(children.map((child) => stop(child)));
  }
}

/** Resume latency: `GET stream` with Last-Event-ID on `readUrl` until the first resumed event arrives, for runs created on `createUrl`. */
async function resumeLatency(createUrl: string, readUrl: string, count: number): Promise<Spread> {
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const created = await fetch(`${createUrl}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ scenario: 'quick', speed: 0, seed: i + 1 }),
    });
    ids.push(((await created.json()) as { run_id: string }).run_id);
  }
  // Let every run finish (the quick scenario at speed 0 takes a few ms).
  for (const id of ids) await (await fetch(`${createUrl}/api/runs/${id}/events?after=40&wait=5`)).arrayBuffer();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = ids[i % ids.length]!;
    const started = performance.now();
    const response = await fetch(`${readUrl}/api/runs/${id}/stream`, {
      headers: { 'Last-Event-ID': String(10 + (i % 20)) },
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (/\nid: \d+\n/.test(`\n${text}`)) break;
    }
    samples.push(performance.now() - started);
    await reader.cancel();
  }
  return spreadOf(Float64Array.from(samples), samples.length);
}

/** Tokens each run of the memory figures streams (with its first and last events, 1,000 events). */
const MEMORY_RUN_TOKENS = 998;

/** Stream the memory figures' tokens into `run`: the bytes of their JSON (without `run_id` and `seq`). */
function streamMemoryTokens(run: ProducerRun): number {
  let bytes = 0;
  for (let i = 0; i < MEMORY_RUN_TOKENS; i++) {
    const content = ` word${i % 97}`;
    run.token(content, 'm1');
    bytes += JSON.stringify({ type: 'token', content, message_id: 'm1' }).length;
  }
  return bytes;
}

/** Redis used_memory growth per 1,000 token events (`runs` runs of 1,000 tokens each, finished). */
async function memoryPer1000(redis: RedisServer, runs: number): Promise<{ bytes: number; bodyBytes: number }> {
  const probe = new Redis(redis.url);
  const used = async (): Promise<number> => Number(/used_memory:(\d+)/.exec(await probe.info('memory'))?.[1] ?? 0);
  const kit = createRunKit({ log: await createRedisRunLog({ url: redis.url, prefix: 'b7mem:' }) });
  try {
    const before = await used();
    let bodyBytes = 0;
    for (let r = 0; r < runs; r++) {
      const run = await kit.create();
      bodyBytes += streamMemoryTokens(run);
      await run.done();
    }
    const after = await used();
    return { bytes: (after - before) / runs, bodyBytes: bodyBytes / runs };
  } finally {
    await kit.close();
    probe.disconnect();
  }
}

/** `global.gc` under `node --expose-gc` (how `npm run bench` starts), else undefined. */
const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/**
 * JS heap kept per 1,000 token events by the in-memory log (`runs` live runs of 1,000 tokens), each
 * event served once as SSE as a connection would; GC'd before and after. Null without `--expose-gc`.
 */
async function heapPer1000(runs: number): Promise<number | null> {
  if (!gc) return null;
  const log = new MemoryRunLog();
  const kit = createRunKit({ log });
  try {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    let served = 0;
    for (let r = 0; r < runs; r++) {
      const run = await kit.create();
      streamMemoryTokens(run);
      await run.flush();
      for (const event of await log.read(run.id, 0, 2_000)) served += event.sse.length;
    }
    gc();
    gc();
    if (served === 0) throw new Error('B7: the in-memory log served no event');
    return (process.memoryUsage().heapUsed - before) / runs;
  } finally {
    await kit.close();
  }
}

const ms = (v: number): string => `${fmt(v, 2)} ms`;

/**
 * Events/s served with every run live: the tokens emitted in the steady window per second (over a
 * whole pass it would swing with how long opening the streams took, and count runs that had ended).
 */
function throughput(r: LoadClientResult): number {
  return r.steadyRate;
}

function clean(r: LoadClientResult, runs: number): boolean {
  return (
    r.lost === 0 &&
    r.duplicates === 0 &&
    r.outOfOrder === 0 &&
    r.idMismatches === 0 &&
    r.completedRuns === runs &&
    r.errors.length === 0
  );
}

/** Load average of the whole machine (1 min), to print beside each figure. */
function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

/** The p99 the issue asks for, ms. */
const P99_GOAL = 50;

/**
 * The latency a level is judged by: a token's due time (when the producer meant to emit it) → the
 * client parsing it. It includes how late a busy server emitted it: memory delivers inside the
 * timer callback that emits, so a saturated loop shows no delivery latency, only late timers (800
 * runs: emitted → parsed p99 26 ms while the tokens came out up to 174 ms late). An agent's tokens
 * that wait in a busy process are late for the user all the same.
 */
const judged = (client: LoadClientResult): Spread => client.steadyTotal;

/**
 * A pass judges its level only when all N runs streamed at once for this long after settling. A
 * shorter window says nothing about the latency, so the pass is measured again, up to
 * `MAX_UNMEASURED` times. The runs start together once every stream is open (see `load`), so this
 * is a guard, no longer the rule it was when the first runs ended before the last ones opened.
 */
const MIN_WINDOW_MS = 1_000;
/** Passes without a steady window after which a level counts as unmeasured (the backend's sweep ends there, its capacity unknown). */
const MAX_UNMEASURED = 3;
/** One level of the sweep: `runs` concurrent runs at ~50 tok/s on one instance. */
interface Level {
  readonly runs: number;
  readonly load: Load;
  /** Machine load average (1 min) when the level ended. */
  readonly loadAvg: number;
  readonly met: boolean;
  /** False when the runs never all streamed at once for `MIN_WINDOW_MS` (the latency was not measured). */
  readonly measured: boolean;
}

/** Sweep result of one backend. */
interface Sweep {
  readonly levels: Level[];
  /** The highest level with steady p99 < 50 ms and every event delivered once, in order. */
  readonly best: Level | undefined;
  /** The sweep ended on a level it could not measure: the backend's capacity is at least `best`, not known. */
  readonly unmeasured: boolean;
}

const describeLevel = (level: Level): string =>
  `${int(level.runs)} runs: ${int(throughput(level.load.client))}/s, p99 ${fmt(judged(level.load.client).p99)} ms due → parsed` +
  ` (emitted → parsed ${fmt(level.load.client.steady.p99)} ms)` +
  ` over ${fmt(level.load.client.steadyWindowMs / 1000, 2)} s with every run live (opening ${fmt(level.load.client.openMs / 1000, 2)} s,` +
  ` next second p99 ${fmt(level.load.client.settling.p99)} ms)` +
  ` (server loop ${fmt(level.load.servers[0]!.eluPct)}% busy, delay p99 ${fmt(level.load.servers[0]!.loopDelayP99)} ms;` +
  ` client loop ${fmt(level.load.client.eluPct)}% busy, delay p99 ${fmt(level.load.client.loopDelayP99)} ms; load ${fmt(level.loadAvg, 1)})`;

/**
 * Passes that must agree on a level: it is measured until two passes meet the p99 or two miss it
 * (two or three passes). One pass decides by chance on a shared 2-core machine: the same level gave
 * a steady p99 of 39–168 ms over twelve identical passes, and memory missed 200 runs twice in a row
 * in one run while it met 400 to 1,000 in others.
 */
const AGREE = 2;

/**
 * Sweep N (runs at ~50 tok/s, one SSE client each, on one instance) upwards for memory and Redis
 * side by side: at each N memory then Redis; a level is met when two passes meet the p99 (of at
 * most three), shown by the worse of the passes that met it (or the better of those that missed);
 * a backend leaves the sweep after a level it missed.
 */
async function sweep(
  ctx: BenchContext,
  levels: readonly number[],
  tokens: number,
  redis: RedisServer,
): Promise<{ memory: Sweep; redis: Sweep }> {
  const results = { memory: [] as Level[], redis: [] as Level[] };
  const open = { memory: true, redis: true };
  const unmeasuredAt = { memory: false, redis: false };
  for (const runs of levels) {
    for (const backend of ['memory', 'redis'] as const) {
      if (!open[backend]) continue;
      const passes: Level[] = [];
      const count = (met: boolean): number => passes.filter((pass) => pass.measured && pass.met === met).length;
      // A pass that lost, duplicated or reordered an event decides the level (the loss row must see it).
      let dirty: Level | undefined;
      let unmeasured = 0;
      while (!dirty && count(true) < AGREE && count(false) < AGREE && unmeasured < MAX_UNMEASURED) {
        const result = await load(runs, tokens, 1, backend === 'redis' ? redis : undefined);
        const isClean = clean(result.client, runs);
        const hasWindow = result.client.steadyWindowMs >= MIN_WINDOW_MS;
        const pass = {
          runs,
          load: result,
          loadAvg: loadAverage(),
          met: isClean && hasWindow && judged(result.client).p99 < P99_GOAL,
          measured: hasWindow || !isClean,
        };
        passes.push(pass);
        if (!isClean) dirty = pass;
        else if (!hasWindow) unmeasured++;
        const verdict = !pass.measured
          ? 'not measured (the runs never all streamed at once)'
          : pass.met
            ? 'met'
            : 'missed';
        ctx.log(`B7 sweep, ${backend}: ${describeLevel(pass)} → ${verdict}`);
      }
      const met = !dirty && count(true) >= AGREE;
      const decided = passes.filter((pass) => pass.measured);
      // Otherwise shown by the pass that decided: the worse of those that met, or the better of those that missed.
      const agreeing = decided
        .filter((pass) => pass.met === met)
        .sort((a, b) => judged(a.load.client).p99 - judged(b.load.client).p99);
      results[backend].push(dirty ?? (met ? agreeing.at(-1)! : (agreeing[0] ?? passes.at(-1)!)));
      if (!met && !dirty && count(false) < AGREE) unmeasuredAt[backend] = true;
      if (!met) open[backend] = false;
    }
    if (!open.memory && !open.redis) break;
  }
  const best = (list: Level[]): Level | undefined => list.filter((level) => level.met).at(-1);
  return {
    memory: { levels: results.memory, best: best(results.memory), unmeasured: unmeasuredAt.memory },
    redis: { levels: results.redis, best: best(results.redis), unmeasured: unmeasuredAt.redis },
  };
}

/** Run B7. */
export async function runB7(ctx: BenchContext): Promise<BenchResult> {
  const started = performance.now();
  const runs = 1000;
  // ~6 s (quick) or ~12 s of tokens, all runs streaming at once: the window compared is that less its first second.
  const tokens = ctx.quick ? 300 : 600;
  // The same in both modes; 100 apart where both backends have stopped so far.
  const levels = [25, 50, 100, 200, 300, 400, 500, 600, 800, 1000];
  const resumes = ctx.quick ? 200 : 1000;
  const redis = await startRedis();
  try {
    const swept = await sweep(ctx, levels, tokens, redis);
    ctx.log('B7: across two instances on one Redis (created on one, read on the other)');
    const pair = await load(runs, tokens, 2, redis);
    const pairLoadAvg = loadAverage();

    ctx.log(`B7: resume latency (${resumes} resumes each)`);
    const single = await servers(1, {}, 10);
    const duo = await servers(2, { B5_REDIS_URL: redis.url }, 10);
    let resumeMemory: Spread;
    let resumeRedis: Spread;
    try {
      resumeMemory = await resumeLatency(single.urls[0]!, single.urls[0]!, resumes);
      resumeRedis = await resumeLatency(duo.urls[0]!, duo.urls[1]!, resumes);
    } finally {
      await Promise.all([...single.children, ...duo.children].map((child) => stop(child)));
    }
    ctx.log('B7: Redis memory per 1,000 events');
    const memoryUse = await memoryPer1000(redis, ctx.quick ? 20 : 100);
    ctx.log('B7: in-memory log, heap per 1,000 events');
    const heapUse = await heapPer1000(ctx.quick ? 20 : 100);

    const name = `${int(runs)} runs × ${int(tokens)} tokens, ~50 tok/s`;
    const memoryBest = swept.memory.best;
    const redisBest = swept.redis.best;
    const served = (level: Level | undefined): number => (level ? throughput(level.load.client) : 0);
    const ratio = memoryBest ? served(redisBest) / served(memoryBest) : Number.NaN;
    const cpu = (l: Load): number => l.servers.reduce((n, stats) => n + stats.cpuPct, 0);
    // A capacity is found when the sweep ended on a level it measured and missed; otherwise it is at least the best level.
    const found = (sweep: Sweep): boolean => !sweep.unmeasured && sweep.levels.at(-1)?.met === false;
    const bestText = (sweep: Sweep): string => {
      const level = sweep.best;
      const text = level
        ? `${int(served(level))}/s at ${int(level.runs)} runs (p99 ${ms(judged(level.load.client).p99)}, load ${fmt(level.loadAvg, 1)})`
        : `none under ${P99_GOAL} ms`;
      if (found(sweep)) return text;
      return sweep.unmeasured
        ? `≥ ${text}; ${int(sweep.levels.at(-1)!.runs)} runs not measurable`
        : `≥ ${text}, the top of the sweep`;
    };
    // Memory's capacity not found makes the ratio an upper bound: it cannot show the goal met.
    const memoryFound = found(swept.memory);
    const shown = Boolean(redisBest) && ratio >= 0.5 && memoryFound;
    /** The level a backend's sweep ended on: its first miss, a level it could not measure, or the top met. */
    const lastText = (sweep: Sweep): string => {
      const level = sweep.levels.at(-1);
      if (!level) return '—';
      const client = level.load.client;
      if (!level.measured)
        return `${int(level.runs)} runs: not measurable (opening took ${fmt(client.openMs / 1000, 2)} s; the runs never all streamed at once for ${MIN_WINDOW_MS / 1000} s)`;
      const text = `${int(level.runs)} runs: ${int(served(level))}/s · ${ms(judged(client).p50)} / ${ms(judged(client).p99)} over ${fmt(client.steadyWindowMs / 1000, 2)} s (emitted → parsed ${ms(client.steady.p50)} / ${ms(client.steady.p99)}; emitted late by p99 ${ms(client.lag.p99)} over the pass)`;
      return level.met ? `${text} (met: the top of the sweep)` : text;
    };
    const rows: Row[] = [
      row({
        bench: 'B7',
        case: `one instance, N runs × ${int(tokens)} tokens at ~50 tok/s, all streaming at once, N swept ${levels.join(', ')}`,
        metric: `most events/s served with steady p99 < ${P99_GOAL} ms (due → parsed)`,
        ours: `Redis ${bestText(swept.redis)}`,
        versus: `memory ${bestText(swept.memory)}`,
        ratio: `${memoryFound ? '' : '≤ '}${fmt(ratio, 2)}× the memory throughput`,
        target: `≥ 0.5× at p99 < ${P99_GOAL} ms`,
        verdict: shown ? 'met' : 'missed',
        margin: !redisBest
          ? 'Redis never under the p99'
          : !memoryFound
            ? `memory's capacity not found (an upper bound: ${fmt(ratio / 0.5, 2)}× the goal)`
            : `${fmt(ratio / 0.5, 2)}× the goal`,
      }),
      row({
        bench: 'B7',
        case: 'one instance, the first level missed',
        metric: 'events/s · steady p50 / p99 (due → parsed)',
        ours: `Redis ${lastText(swept.redis)}`,
        versus: `memory ${lastText(swept.memory)}`,
        verdict: 'info',
      }),
      row({
        bench: 'B7',
        case: "one instance, at each backend's best level",
        metric: 'server CPU · RSS peak · load generator busy · server loop delay p99',
        ours: redisBest
          ? `Redis ${fmt(cpu(redisBest.load))}% · ${mib(redisBest.load.servers[0]!.rssPeak)} · client ${fmt(redisBest.load.client.eluPct)}% · ${ms(redisBest.load.servers[0]!.loopDelayP99)}`
          : '—',
        versus: memoryBest
          ? `memory ${fmt(cpu(memoryBest.load))}% · ${mib(memoryBest.load.servers[0]!.rssPeak)} · client ${fmt(memoryBest.load.client.eluPct)}% · ${ms(memoryBest.load.servers[0]!.loopDelayP99)}`
          : '—',
        ratio: redisBest ? `redis-server ${fmt(redisBest.load.redisCpuPct)}% more` : '',
        verdict: 'info',
      }),
      row({
        bench: 'B7',
        case: `two instances on Redis, ${name}`,
        metric: 'events lost (every seq checked)',
        ours: `${int(pair.client.lost)} of ${int(pair.client.eventsExpected)}`,
        versus: `duplicates ${pair.client.duplicates} · out of order ${pair.client.outOfOrder} · runs completed ${int(pair.client.completedRuns)}/${int(runs)} · delivery p50 / p99 ${ms(pair.client.delivery.p50)} / ${ms(pair.client.delivery.p99)} (whole pass: all 1,000 runs start together)`,
        ratio: `servers' CPU ${fmt(cpu(pair))}% in all, redis-server ${fmt(pair.redisCpuPct)}%; load ${fmt(pairLoadAvg, 1)}`,
        target: '0',
        verdict:
          clean(pair.client, runs) &&
          [...swept.memory.levels, ...swept.redis.levels].every((level) => clean(level.load.client, level.runs))
            ? 'met'
            : 'failed',
        margin: clean(pair.client, runs)
          ? 'exactly once, in order'
          : (pair.client.errors[0] ?? `${pair.client.lost} lost`),
      }),
      row({
        bench: 'B7',
        case: `resume with Last-Event-ID, ${int(resumes)} times`,
        metric: 'request → first resumed event p50 / p99',
        ours: `Redis, other instance ${ms(resumeRedis.p50)} / ${ms(resumeRedis.p99)}`,
        versus: `memory, same instance ${ms(resumeMemory.p50)} / ${ms(resumeMemory.p99)}`,
        ratio: `${fmt(resumeRedis.p50 / resumeMemory.p50, 2)}× (p50)`,
        verdict: 'info',
      }),
      row({
        bench: 'B7',
        case: 'Redis memory, finished runs',
        metric: 'used_memory per 1,000 token events',
        ours: `${fmt(memoryUse.bytes / 1024, 1)} KiB`,
        versus: `event JSON ${fmt(memoryUse.bodyBytes / 1024, 1)} KiB per 1,000 (without run_id, seq)`,
        ratio: `${fmt(memoryUse.bytes / memoryUse.bodyBytes, 2)}× the JSON`,
        verdict: 'info',
      }),
      row({
        bench: 'B7',
        case: 'in-memory log, live runs',
        metric: 'JS heap kept per 1,000 token events, each served once as SSE',
        ours: heapUse === null ? 'not measured (node without --expose-gc)' : `${fmt(heapUse / 1024, 1)} KiB`,
        versus: `event JSON ${fmt(memoryUse.bodyBytes / 1024, 1)} KiB per 1,000 (without run_id, seq) · Redis used_memory ${fmt(memoryUse.bytes / 1024, 1)} KiB`,
        ratio: heapUse === null ? '' : `${fmt(heapUse / memoryUse.bodyBytes, 2)}× the JSON`,
        verdict: 'info',
      }),
    ];
    ctx.log(
      `B7: Redis ${fmt(ratio, 2)}× memory throughput at p99 < ${P99_GOAL} ms (${redisBest?.runs ?? 0} vs ${memoryBest?.runs ?? 0} runs); pair lost ${pair.client.lost}; resume p50 ${fmt(resumeRedis.p50)} vs ${fmt(resumeMemory.p50)} ms`,
    );
    return {
      id: 'B7',
      title: 'server kit: memory vs Redis',
      rows,
      data: {
        runs,
        tokens,
        levels,
        sweep: swept,
        pair,
        pairLoadAvg,
        resumeMemory,
        resumeRedis,
        memoryUse,
      },
      notes: [
        'B7 method: B5’s server and client processes; N (runs at ~50 tok/s, one SSE stream each) is swept upwards, memory and Redis ' +
          'alternating at each N; a pass meets a level when the steady p99 is under 50 ms and every event arrived once, in ' +
          'order; each level is measured until two passes agree (two of at most three: one pass decides by chance on a shared 2-core ' +
          'machine; a pass that lost, duplicated or reordered an event decides alone), a missed level ends that backend’s sweep; ' +
          'the ratio compares the events/s of the highest met levels. Latency = a token’s due time (when the producer’s clock, ' +
          'which never drifts, meant to emit it) → the client parsing it, both on CLOCK_MONOTONIC; it includes how late a busy ' +
          'server emitted the token (memory fans out inside the callback that emits, so its backlog shows only there); ' +
          'emitted → parsed is shown beside. The client reports its own event-loop load so that a saturated load generator shows. ' +
          '"on Redis" = the same mock server with a RedisRunLog on a redis-server ' +
          'started for the benchmark (no persistence), producer and SSE on the same instance; "two instances" = two server ' +
          'processes on that Redis, each run created with POST /api/runs on one and read with GET /stream on the other. ' +
          'Every run waits after its running status until the client has opened all N streams, then all start within ~100 ms ' +
          '(a busy Node server accepts about one connection per loop turn: without the wait the first runs ended before the ' +
          'last ones opened). Steady window = from 1 s after the last stream opened until the first run emitted its last token; ' +
          `a pass with a window under ${MIN_WINDOW_MS / 1000} s is measured again (up to ${MAX_UNMEASURED} times; then the level ` +
          "is not measurable and that backend's capacity is reported as at least its best level, as it is when the sweep's top " +
          "level is met; memory's capacity not found makes the ratio an upper bound, which cannot meet the goal). " +
          'Events/s served = tokens emitted in that window per second (offered: runs × 50 tok/s). Resume ' +
          'latency = from the request (Last-Event-ID in the middle of a finished run) to the first resumed event parsed, one at a time.',
      ],
      durationMs: performance.now() - started,
    };
  } finally {
    await redis.stop();
  }
}
