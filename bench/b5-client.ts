/**
 * B5's load client, a process of its own: opens every run at once with the chat-style
 * `POST /api/runs/stream` over node:http keep-alive sockets, frames each stream with our
 * event-stream decoder, checks every event's seq (gapless, once, in order, id = seq) and measures
 * latency from the timestamps the server stamped into each token.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createEventStreamDecoder } from '../src/transports/event-stream-decoder.ts';
import { spreadOf, spreadWithin, steadyWindow } from './lib/load-window.ts';
import {
  LOAD_SCENARIO,
  monotonicMs,
  type LoadClientConfig,
  type LoadClientResult,
  type LoadMessage,
  SETTLE_MS,
} from './b5-shared.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as LoadClientConfig;
const expected = config.tokens + 2;
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
/** Create requests across instances: no keep-alive (an idle pooled socket the server closed would reset a later stream). */
const once = new Agent({ keepAlive: false, maxSockets: Infinity });

const delivery = new Float64Array(config.runs * config.tokens);
/** Emission time of each sample (monotonic ms), to tell the steady state from the opening burst. */
const emittedAt = new Float64Array(config.runs * config.tokens);
/** When the last stream opened (monotonic ms; 0 until then). */
let allOpenAt = 0;
/** Emission time of each run's last token (monotonic ms; 0 until it arrived). */
const lastEmitted = new Float64Array(config.runs);
const lag = new Float64Array(config.runs * config.tokens);
const total = new Float64Array(config.runs * config.tokens);
let samples = 0;
let received = 0;
let lost = 0;
let duplicates = 0;
let outOfOrder = 0;
let idMismatches = 0;
let completed = 0;
let opened = 0;
/** Runs whose stream opened or whose opening failed. */
let openings = 0;

/** A run's opening ended (its stream opened, or it failed first): after the last, tell the runner (B7 then starts the runs). */
function openingEnded(): void {
  if (++openings !== config.runs) return;
  allOpenAt = monotonicMs();
  send({ kind: 'open' });
}
const rates: number[] = [];
const errors: string[] = [];

interface StampedEvent {
  type?: string;
  seq?: number;
  content?: string;
}

/** Stream one run; resolves when its response ended. */
function stream(index: number): Promise<void> {
  return new Promise((resolve) => {
    const seen = new Uint8Array(expected + 1);
    let last = 0;
    let unique = 0;
    let now = 0;
    let firstToken = 0;
    let lastToken = 0;
    let done = false;
    const decoder = createEventStreamDecoder(({ data, lastEventId }) => {
      if (data === '') return;
      const event = JSON.parse(data) as StampedEvent;
      const seq = event.seq ?? -1;
      received++;
      if (String(seq) !== lastEventId) idMismatches++;
      if (seq < 1 || seq > expected) {
        errors.push(`run ${index}: seq ${seq} out of range`);
        return;
      }
      if (seen[seq]) {
        duplicates++;
        return;
      }
      seen[seq] = 1;
      unique++;
      if (seq !== last + 1) outOfOrder++;
      last = seq;
      if (event.type === 'token' && event.content) {
        const [, scheduled, emitted] = event.content.split('|').map(Number) as [number, number, number];
        delivery[samples] = now - emitted;
        emittedAt[samples] = emitted;
        lastEmitted[index] = emitted;
        lag[samples] = emitted - scheduled;
        total[samples] = now - scheduled;
        samples++;
        if (firstToken === 0) firstToken = now;
        lastToken = now;
      } else if (event.type === 'done') {
        done = true;
      }
    });
    let openingOver = false;
    const endOpening = (): void => {
      if (openingOver) return;
      openingOver = true;
      openingEnded();
    };
    const onResponse = (res: IncomingMessage): void => {
      if (res.statusCode !== 200) errors.push(`run ${index}: HTTP ${res.statusCode}`);
      opened++;
      endOpening();
      res.on('data', (chunk: Buffer) => {
        now = monotonicMs();
        decoder.push(chunk);
      });
      res.on('end', () => {
        decoder.end();
        if (done) completed++;
        lost += expected - unique;
        if (lastToken > firstToken) rates.push(((config.tokens - 1) / (lastToken - firstToken)) * 1000);
        resolve();
      });
      res.on('error', (error) => {
        errors.push(`run ${index}: ${error.message}`);
        lost += expected - unique;
        resolve();
      });
    };
    const fail = (error: Error): void => {
      endOpening();
      errors.push(`run ${index}: ${error.message}`);
      lost += expected;
      resolve();
    };
    const body = JSON.stringify({ scenario: LOAD_SCENARIO, speed: config.speed, seed: index + 1 });
    const cross = config.crossUrls;
    if (!cross) {
      const req = request(
        {
          agent,
          host: new URL(config.url).hostname,
          port: new URL(config.url).port,
          method: 'POST',
          path: '/api/runs/stream',
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        },
        onResponse,
      );
      req.on('error', fail);
      req.end(body);
      return;
    }
    // Across instances: create on one, read on the next.
    const creator = new URL(cross[index % cross.length]!);
    const reader = new URL(cross[(index + 1) % cross.length]!);
    const create = request(
      {
        agent: once,
        host: creator.hostname,
        port: creator.port,
        method: 'POST',
        path: '/api/runs',
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let runId: string;
          try {
            runId = (JSON.parse(text) as { run_id: string }).run_id;
          } catch {
            fail(new Error(`create answered ${res.statusCode}: ${text.slice(0, 100)}`));
            return;
          }
          const read = request(
            {
              agent,
              host: reader.hostname,
              port: reader.port,
              method: 'GET',
              path: `/api/runs/${encodeURIComponent(runId)}/stream`,
              headers: { Accept: 'text/event-stream' },
            },
            onResponse,
          );
          read.on('error', fail);
          read.end();
        });
      },
    );
    create.on('error', fail);
    create.end(body);
  });
}

const send = (message: LoadMessage): void => void process.send?.(message);

const cpu = process.cpuUsage();
const elu = performance.eventLoopUtilization();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const started = monotonicMs();
let openMs = 0;
const openWatch = setInterval(() => {
  if (opened === config.runs && openMs === 0) openMs = monotonicMs() - started;
}, 5);
await Promise.all(Array.from({ length: config.runs }, (_, i) => stream(i)));
clearInterval(openWatch);
const wallMs = monotonicMs() - started;
const used = process.cpuUsage(cpu);
const eluPct = performance.eventLoopUtilization(elu).utilization * 100;
loopDelay.disable();
rates.sort((a, b) => a - b);
const window = steadyWindow(allOpenAt, lastEmitted, SETTLE_MS);
const steady = spreadWithin(emittedAt, delivery, samples, window);
const steadyWindowMs = window.to - window.from;
const result: LoadClientResult = {
  runs: config.runs,
  completedRuns: completed,
  eventsExpected: expected * config.runs,
  eventsReceived: received,
  lost,
  duplicates,
  outOfOrder,
  idMismatches,
  delivery: spreadOf(delivery, samples),
  lag: spreadOf(lag, samples),
  total: spreadOf(total, samples),
  steady: steady.spread,
  steadyTotal: spreadWithin(emittedAt, total, samples, window).spread,
  steadyWindowMs,
  steadyRate: steadyWindowMs > 0 ? (steady.count / steadyWindowMs) * 1000 : 0,
  settling: spreadWithin(emittedAt, delivery, samples, { from: allOpenAt, to: window.from }).spread,
  rate: rates[Math.floor(rates.length / 2)] ?? 0,
  openMs,
  wallMs,
  cpuPct: ((used.user + used.system) / 1000 / wallMs) * 100,
  eluPct,
  loopDelayP99: loopDelay.percentile(99) / 1e6,
  errors: errors.slice(0, 20),
};
agent.destroy();
once.destroy();
send({ kind: 'result', result });
// Without an IPC channel (run by hand) `connected` is undefined and there is nothing to disconnect.
if (process.connected) process.disconnect();
