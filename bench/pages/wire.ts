/**
 * B2's measurement, runnable in Chromium (bench/pages/b2.ts) and in Node (bench/b2-wire.ts): the
 * same SSE bytes (the mock server's framing) fed in chunks to three parsers that all deliver to the
 * same consumer (decode the JSON into a typed event → ordered sink → run store, flushed once per
 * chunk as after a network read): ours (`createEventStreamDecoder`, what the sse adapter runs),
 * @microsoft/fetch-event-source's parser path (`getLines` → `getMessages`, what `fetchEventSource`
 * runs per chunk) and eventsource-parser alone (with the streaming TextDecoder it needs).
 */
import { getLines, getMessages } from '@microsoft/fetch-event-source/lib/esm/parse.js';
import { createParser } from 'eventsource-parser';
import { decodeEventText, encodeSseEvent, type RunEvent } from '../../src/protocol/index.ts';
import { createRunStore } from '../../src/store/index.ts';
import { createEventStreamDecoder } from '../../src/transports/event-stream-decoder.ts';
import { createOrderedSink } from '../../src/store/index.ts';
import { systemClock } from '../../src/transports/types.ts';

/** The three parsers compared. */
export type WireParser = 'ours' | 'fetch-event-source' | 'eventsource-parser';
/** Every parser, in the order they are reported. */
export const WIRE_PARSERS: readonly WireParser[] = ['ours', 'fetch-event-source', 'eventsource-parser'];

/** What to measure. */
export interface WireOptions {
  /** Token events in the stream. */
  events: number;
  /** Interleaved timed passes per case. */
  rounds: number;
  /** Long-line sizes in bytes, ascending. */
  lineSizes: number[];
  /** Timed passes per long-line size. */
  lineRounds: number;
  /** A long-line size is skipped when its projected time is over this. */
  lineBudgetMs: number;
}

/** Median ms (and every pass) of each parser for one case. */
export interface WireCase {
  chunks: number;
  medianMs: Record<WireParser, number>;
  repeatsMs: Record<WireParser, number[]>;
}

/** Everything B2 measured in one environment. */
export interface WireResults {
  bytes: number;
  /** Keyed `16 store`, `16 parse`, `65536 store`, `65536 parse`. */
  streams: Record<string, WireCase>;
  /** Keyed by chunk size: median ms per line size (null = skipped: projected over budget). */
  lines: Record<string, Record<WireParser, (number | null)[]>>;
  /** The same, fastest pass instead of the median (other processes only ever add time). */
  linesMin: Record<string, Record<WireParser, (number | null)[]>>;
  gc: boolean;
}

const RUN_ID = 'r-bench';
const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** Receives each dispatched event (`type` = the `event:` field, '' when none). */
type OnMessage = (type: string, data: string) => void;

function makeParser(name: WireParser, onMessage: OnMessage): (chunk: Uint8Array) => void {
  if (name === 'ours') {
    const decoder = createEventStreamDecoder((message) => onMessage(message.type, message.data));
    return (chunk) => decoder.push(chunk);
  }
  if (name === 'fetch-event-source') {
    return getLines(
      getMessages(
        () => undefined,
        () => undefined,
        (message) => onMessage(message.event, message.data),
      ),
    );
  }
  const parser = createParser({ onEvent: (message) => onMessage(message.event ?? '', message.data) });
  const text = new TextDecoder();
  return (chunk) => parser.feed(text.decode(chunk, { stream: true }));
}

/** Characters seen by counting consumers (kept so the data strings are really produced). */
let countedChars = 0;

/**
 * The consumer: typed decode → ordered sink → store (`store`), or just counting (`parse`). Events
 * without data are skipped, as browsers do (fetch-event-source dispatches one per comment block).
 */
function consumer(mode: 'store' | 'parse'): { onMessage: OnMessage; flush(): void; count(): number } {
  if (mode === 'parse') {
    let n = 0;
    return {
      onMessage: (_type, data) => {
        if (data === '') return;
        n++;
        countedChars += data.length;
      },
      flush: () => undefined,
      count: () => n,
    };
  }
  const store = createRunStore(RUN_ID);
  const sink = createOrderedSink(store, systemClock, 60_000);
  return {
    onMessage: (type, data) => {
      if (data !== '') sink.decoded(decodeEventText(data, { eventName: type || 'message', runId: RUN_ID }));
    },
    flush: () => sink.flush(),
    count: () => store.stats.applied,
  };
}

/** `bytes` cut into views of `size` bytes. */
function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, Math.min(bytes.length, i + size)));
  return out;
}

/** A token stream of `n` events (plus a status event and the `connected` comment) as the mock server frames it. */
function tokenStream(n: number): Uint8Array {
  const words = ['the', 'agent', 'reads', 'a', 'file', 'and', 'then', 'writes', 'tests', 'for', 'each', 'module'];
  const parts = [': connected\n\n', encodeSseEvent({ type: 'status', run_id: RUN_ID, seq: 1, state: 'running' })];
  for (let i = 0; i < n; i++) {
    parts.push(
      encodeSseEvent({
        type: 'token',
        run_id: RUN_ID,
        seq: i + 2,
        content: ` ${words[i % words.length]!}`,
        message_id: 'm1',
      }),
    );
  }
  return new TextEncoder().encode(parts.join(''));
}

/** One event whose data line is about `size` bytes. */
function bigLine(size: number): Uint8Array {
  const event: RunEvent = { type: 'token', run_id: RUN_ID, seq: 1, content: 'x'.repeat(size), message_id: 'm1' };
  return new TextEncoder().encode(encodeSseEvent(event));
}

/** Time one pass over `chunks`; returns ms, or throws when not every event arrived. */
function pass(parser: WireParser, chunks: readonly Uint8Array[], mode: 'store' | 'parse', expected: number): number {
  gc?.();
  const sink = consumer(mode);
  const push = makeParser(parser, sink.onMessage);
  const started = performance.now();
  for (const chunk of chunks) {
    push(chunk);
    sink.flush();
  }
  sink.flush();
  const ms = performance.now() - started;
  if (sink.count() !== expected) throw new Error(`${parser} (${mode}): ${sink.count()} of ${expected} events arrived`);
  return ms;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Run every B2 case; `log` reports progress. */
export function measureWire(options: WireOptions, log: (message: string) => void = () => undefined): WireResults {
  const stream = tokenStream(options.events);
  const results: WireResults = { bytes: stream.length, streams: {}, lines: {}, linesMin: {}, gc: gc !== undefined };
  for (const size of [16, 64 * 1024]) {
    const chunks = chunked(stream, size);
    for (const mode of ['store', 'parse'] as const) {
      for (const p of WIRE_PARSERS) pass(p, chunks, mode, options.events + 1); // warm-up
      const repeatsMs: Record<WireParser, number[]> = { ours: [], 'fetch-event-source': [], 'eventsource-parser': [] };
      for (let round = 0; round < options.rounds; round++) {
        const k = round % WIRE_PARSERS.length;
        for (const p of [...WIRE_PARSERS.slice(k), ...WIRE_PARSERS.slice(0, k)])
          repeatsMs[p].push(pass(p, chunks, mode, options.events + 1));
      }
      const medianMs = {
        ours: median(repeatsMs.ours),
        'fetch-event-source': median(repeatsMs['fetch-event-source']),
        'eventsource-parser': median(repeatsMs['eventsource-parser']),
      };
      results.streams[`${size} ${mode}`] = { chunks: chunks.length, medianMs, repeatsMs };
      log(`${size}-byte chunks, ${mode}: ${WIRE_PARSERS.map((p) => `${p} ${medianMs[p].toFixed(1)} ms`).join(', ')}`);
    }
  }
  for (const chunkSize of [64 * 1024, 16]) {
    const table: Record<WireParser, (number | null)[]> = {
      ours: [],
      'fetch-event-source': [],
      'eventsource-parser': [],
    };
    const fastest: Record<WireParser, (number | null)[]> = {
      ours: [],
      'fetch-event-source': [],
      'eventsource-parser': [],
    };
    for (const p of WIRE_PARSERS) {
      let projected = 0;
      for (let s = 0; s < options.lineSizes.length; s++) {
        if (projected > options.lineBudgetMs) {
          table[p].push(null);
          fastest[p].push(null);
          continue;
        }
        const chunks = chunked(bigLine(options.lineSizes[s]!), chunkSize);
        const reps: number[] = [];
        for (let r = 0; r < options.lineRounds && (r === 0 || reps[0]! < options.lineBudgetMs / 4); r++)
          reps.push(pass(p, chunks, 'store', 1));
        const ms = median(reps);
        table[p].push(ms);
        fastest[p].push(Math.min(...reps));
        // Project the next size from the growth seen so far (quadratic when only one point is known).
        const previous = s > 0 ? table[p][s - 1] : null;
        const next = options.lineSizes[s + 1];
        if (next !== undefined) {
          const exponent =
            typeof previous === 'number'
              ? Math.max(1, Math.log(ms / previous) / Math.log(options.lineSizes[s]! / options.lineSizes[s - 1]!))
              : 2;
          projected = ms * (next / options.lineSizes[s]!) ** exponent;
        }
      }
    }
    results.lines[String(chunkSize)] = table;
    results.linesMin[String(chunkSize)] = fastest;
    log(
      `long line, ${chunkSize}-byte chunks: ${WIRE_PARSERS.map((p) => `${p} ${table[p].map((v) => (v === null ? '—' : v.toFixed(1))).join('/')} ms`).join(', ')}`,
    );
  }
  if (countedChars < 0) log('impossible');
  return results;
}
