/**
 * B8 — which transport? The same scenario (the mock server's `agent`: steps, tools, ~150 tokens,
 * one question answered) over poll, SSE, WebSocket and hybrid in headless Chromium against the
 * mock server on loopback, one lane at a time, interleaved and repeated; every figure comes from
 * the lane's wire tap (agentwire/inspector), the same as `<transport-compare>` shows: time to
 * first token, update latency from the server's stamp to the store and to the frame that drew it
 * (p50/p95), requests, bytes each way, the answer's round trip; ratios against SSE. Requests and
 * bytes are also checked against what the mock server counted for each run.
 */
import { startMockServer } from '../mock-server/server.ts';
import type { LaneFigures } from '../src/inspector/compare.ts';
import type { BenchContext } from './lib/context.ts';
import { row, type BenchResult, type Row } from './lib/report.ts';
import { fmt, median, rotate, times } from './lib/stats.ts';

const TRANSPORTS = ['poll', 'sse', 'websocket', 'hybrid'] as const;

/** Run B8. */
export async function runB8(ctx: BenchContext): Promise<BenchResult> {
  const started = performance.now();
  const kit = await ctx.browser();
  const mock = await startMockServer({ port: 0 });
  const rounds = ctx.quick ? 1 : 5;
  const runs: Record<string, LaneFigures[]> = Object.fromEntries(TRANSPORTS.map((t) => [t, []]));
  const mismatches: string[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const transport of rotate(TRANSPORTS, round)) {
        ctx.log(`B8 round ${round + 1}/${rounds}: ${transport}`);
        const page = await kit.open('b8');
        try {
          const figures = await page.page.evaluate((options) => window.b8!.lane(options), {
            baseUrl: mock.url,
            transport,
            body: { scenario: 'agent', speed: 1 },
            answer: 'yes',
          });
          page.check();
          runs[transport]!.push(figures);
          const counted = mock.traffic(figures.runId);
          const off = (a: number, b: number): boolean => Math.abs(a - b) > Math.max(1, b * 0.05);
          if (
            !counted ||
            off(figures.requests, counted.requests) ||
            off(figures.bytesIn, counted.bytesOut) ||
            off(figures.bytesOut, counted.bytesIn)
          )
            mismatches.push(`${transport}: page ${JSON.stringify(figures)} server ${JSON.stringify(counted)}`);
        } finally {
          await page.close();
        }
      }
    }
  } finally {
    await mock.close();
  }
  const med = (transport: string, pick: (f: LaneFigures) => number | null): number =>
    median(runs[transport]!.map(pick).filter((v): v is number => v !== null));
  const sse = (pick: (f: LaneFigures) => number | null): number => med('sse', pick);
  const ratio = (value: number, base: number): string => (base > 0 ? times(value / base) : '–');
  const rows: Row[] = [];
  for (const transport of TRANSPORTS) {
    const m = (pick: (f: LaneFigures) => number | null): number => med(transport, pick);
    rows.push(
      row({
        bench: 'B8',
        case: `${transport}: agent scenario, one answer`,
        metric: 'first token · server → screen p50 / p95',
        ours: `${fmt(m((f) => f.firstTokenMs))} ms · ${fmt(m((f) => f.screenP50))} / ${fmt(m((f) => f.screenP95))} ms`,
        versus: `→ store p50 ${fmt(m((f) => f.storeP50))} ms · answer round trip ${fmt(m((f) => f.answerMs))} ms`,
        ratio:
          transport === 'sse'
            ? 'the baseline'
            : `${ratio(
                m((f) => f.firstTokenMs),
                sse((f) => f.firstTokenMs),
              )} SSE's first token · ${ratio(
                m((f) => f.screenP50),
                sse((f) => f.screenP50),
              )} its p50`,
        verdict: 'info',
      }),
      row({
        bench: 'B8',
        case: `${transport}: traffic`,
        metric: 'requests · bytes in / out · reconnects',
        ours: `${fmt(m((f) => f.requests))} · ${fmt(m((f) => f.bytesIn))} / ${fmt(m((f) => f.bytesOut))} B · ${fmt(m((f) => f.reconnects))}`,
        versus: `most connections open at once ${fmt(m((f) => f.maxOpen))}; ${fmt(m((f) => f.httpRequests))} plain HTTP`,
        ratio:
          transport === 'sse'
            ? 'the baseline'
            : `${ratio(
                m((f) => f.requests),
                sse((f) => f.requests),
              )} SSE's requests · ${ratio(
                m((f) => f.bytesIn),
                sse((f) => f.bytesIn),
              )} its bytes in`,
        verdict: 'info',
      }),
    );
  }
  rows.push(
    row({
      bench: 'B8',
      case: 'page counts vs the mock server’s',
      metric: 'requests and bytes within 5 %',
      ours: `${rounds * TRANSPORTS.length - mismatches.length} of ${rounds * TRANSPORTS.length} runs`,
      verdict: mismatches.length === 0 ? 'met' : 'failed',
      target: 'all',
      margin: mismatches[0]?.slice(0, 120) ?? '',
    }),
  );
  return {
    id: 'B8',
    title: 'which transport? the same run over each',
    rows,
    data: { rounds, runs, mismatches },
    notes: [
      `B8 method: the mock server's agent scenario at real pacing with every event stamped (stamp: true), one lane at a time in a fresh page, ${rounds} round(s) interleaved; medians. ` +
        'Latency is the server stamp (ms resolution) to the sink (store) and to the next animation frame (screen), both clocks on this machine. Bytes are HTTP bodies and WebSocket payloads (what a page sees; headers and framing are not).',
    ],
    durationMs: performance.now() - started,
  };
}
