/**
 * B5's (and B7's) server process: the mock server on a free loopback port (on Redis with
 * `B5_REDIS_URL`), plus one bench scenario with the
 * `long` scenario's pacing (20–40 ms between tokens, divided by speed) whose tokens carry their
 * scheduled and actual emission times on the shared monotonic clock. Reports its own CPU, memory
 * and event-loop figures between `begin` and `end` (IPC from the runner).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { registerScenario } from '../mock-server/scenarios.ts';
import { emit, sleep, type ScenarioContext, type Script } from '../mock-server/script.ts';
import { startMockServer } from '../mock-server/server.ts';
import { createRedisRunLog } from '../src/server/redis/index.ts';
import { LOAD_SCENARIO, monotonicMs, stampedToken, type LoadMessage, type ServerStats } from './b5-shared.ts';

const tokens = Number(process.env['B5_TOKENS'] ?? 100);
const speed = Number(process.env['B5_SPEED'] ?? 1.5);
/**
 * B7: every run waits after its `running` status until the runner says `go` (once the client has
 * opened every stream), so N runs stream at once from the start instead of the first ones
 * finishing while the last ones are still being accepted.
 */
let gated = process.env['B5_GATED'] === '1';
/** How often a waiting run looks at the gate (ms before speed): its start lands at a random point of this after `go`. */
const GATE_POLL = 150;

/** The script; `created` is when the run was created, which is where the engine's clock starts. */
function* load({ rng }: ScenarioContext, created: number): Script {
  let scheduled = created;
  yield emit({ type: 'status', state: 'running' });
  // The engine's clock goes on through the waiting (it never drifts): so does the schedule.
  while (gated) {
    scheduled += GATE_POLL / speed;
    yield sleep(GATE_POLL);
  }
  for (let i = 0; i < tokens; i++) {
    const pause = rng.int(20, 40);
    scheduled += pause / speed;
    yield sleep(pause);
    yield emit({ type: 'token', content: stampedToken(i, scheduled, monotonicMs()), message_id: 'm1' });
  }
  yield emit({ type: 'done', state: 'completed' });
}

registerScenario({
  name: LOAD_SCENARIO,
  description: 'B5: stamped tokens at the long scenario pace.',
  play: (ctx) => load(ctx, monotonicMs()),
});

const send = (message: LoadMessage): void => void process.send?.(message);
// B7 runs the same server on Redis (B5_REDIS_URL): several such processes share every run.
const redisUrl = process.env['B5_REDIS_URL'];
const server = await startMockServer({
  port: 0,
  ...(redisUrl && { log: await createRedisRunLog({ url: redisUrl }) }),
});

let window: {
  cpu: NodeJS.CpuUsage;
  wall: number;
  elu: ReturnType<typeof performance.eventLoopUtilization>;
  rss: number;
} | null = null;
let rssPeak = 0;
let heapPeak = 0;
const delay = monitorEventLoopDelay({ resolution: 10 });
const sampler = setInterval(() => {
  const memory = process.memoryUsage();
  rssPeak = Math.max(rssPeak, memory.rss);
  heapPeak = Math.max(heapPeak, memory.heapUsed);
}, 100);

process.on('message', (message: LoadMessage) => {
  if (message.kind === 'go') {
    gated = false;
  } else if (message.kind === 'begin') {
    rssPeak = 0;
    heapPeak = 0;
    delay.reset();
    delay.enable();
    window = {
      cpu: process.cpuUsage(),
      wall: performance.now(),
      elu: performance.eventLoopUtilization(),
      rss: process.memoryUsage().rss,
    };
  } else if (message.kind === 'end' && window) {
    const wallMs = performance.now() - window.wall;
    const cpu = process.cpuUsage(window.cpu);
    const elu = performance.eventLoopUtilization(window.elu);
    delay.disable();
    const memory = process.memoryUsage();
    const stats: ServerStats = {
      wallMs,
      cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
      rssStart: window.rss,
      rssPeak: Math.max(rssPeak, memory.rss),
      heapUsedPeak: Math.max(heapPeak, memory.heapUsed),
      eluPct: elu.utilization * 100,
      loopDelayP99: delay.percentile(99) / 1e6,
    };
    send({ kind: 'stats', stats });
    clearInterval(sampler);
    void server.close().then(() => process.exit(0));
  }
});

send({ kind: 'ready', url: server.url });
