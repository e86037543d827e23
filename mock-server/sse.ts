/** Server-sent events: one run's events (or a subset) as an SSE response, with resume, heartbeat and faults. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeSseComment, type RunEvent } from '../src/protocol/index.ts';
import type { ConnectionSet } from './connections.ts';
import { EventFeed, type FeedSink } from './feed.ts';
import type { Faults } from './faults.ts';
import { FAULT_BUFFER_BYTES, MALFORMED_SSE_FRAME, MAX_HEARTBEAT_MS, MIN_HEARTBEAT_MS } from './limits.ts';
import { intParam, parseIntValue } from './params.ts';
import { setCorsHeaders } from './respond.ts';
import type { Run } from './run.ts';
import type { StoredEvent } from './stored-event.ts';

/** Headers of every SSE answer: no caching, no transformation, no proxy buffering. */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
});

/** Turns a kept event into an SSE frame, or undefined to leave it out. */
export type SseEncoder = (record: StoredEvent) => string | undefined;

/** agentwire's own framing: `encodeSseEvent` (cached on the record). */
export const encodeAgentwireFrame: SseEncoder = (record) => record.sse;

/** Everything one SSE answer needs. */
export interface SseStreamOptions {
  run: Run;
  /** Replay events after this seq. */
  after: number;
  filter?: ((event: RunEvent) => boolean) | undefined;
  faults: Faults;
  heartbeatMs: number;
  connections: ConnectionSet;
  encode?: SseEncoder;
  headers?: Record<string, string>;
}

/** The resume cursor of a request: `Last-Event-ID` header, else `?after=`, else 0. The header wins. */
export function resumeCursor(req: IncomingMessage, query: URLSearchParams): number {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string' && header.trim() !== '') {
    return parseIntValue(header, 'Last-Event-ID', { min: 0, max: Number.MAX_SAFE_INTEGER });
  }
  return intParam(query, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0;
}

/** The heartbeat interval of a request: `?heartbeat=<ms>` or the app default. */
export function heartbeatOf(query: URLSearchParams, fallback: number): number {
  return intParam(query, 'heartbeat', { min: MIN_HEARTBEAT_MS, max: MAX_HEARTBEAT_MS }) ?? fallback;
}

/** Writes SSE text to a response; with `fault_buffer` it holds bytes like a buffering proxy. */
class SseSink implements FeedSink {
  private queued: string[] = [];
  private held: string[] = [];
  private heldBytes = 0;
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly encode: SseEncoder,
    private readonly buffering: boolean,
  ) {}

  write(record: StoredEvent): void {
    const frame = this.encode(record);
    if (frame !== undefined) this.queued.push(frame);
  }

  writeMalformed(): void {
    this.queued.push(MALFORMED_SSE_FRAME);
  }

  comment(text: string): void {
    if (this.closed) return;
    this.queued.push(encodeSseComment(text));
    this.flush();
  }

  flush(): boolean {
    if (this.closed) return true;
    if (this.queued.length > 0) {
      const text = this.queued.join('');
      this.queued = [];
      if (!this.buffering) return this.res.write(text);
      this.held.push(text);
      this.heldBytes += Buffer.byteLength(text);
      if (this.heldBytes >= FAULT_BUFFER_BYTES) return this.release();
      return true;
    }
    return !this.res.writableNeedDrain;
  }

  onDrain(resume: () => void): void {
    this.res.once('drain', resume);
  }

  abort(): void {
    if (this.closed) return;
    this.release();
    this.closed = true;
    // FIN without the final chunk: the client sees the response body cut off mid-stream.
    this.res.socket?.end();
  }

  complete(): void {
    if (this.closed) return;
    this.release();
    this.closed = true;
    this.res.end();
  }

  private release(): boolean {
    if (this.held.length === 0) return !this.res.writableNeedDrain;
    const text = this.held.join('');
    this.held = [];
    this.heldBytes = 0;
    return this.res.write(text);
  }
}

/** Answer with the run's events as SSE: replay after the cursor, then live, until the run ended. */
export function serveSse(req: IncomingMessage, res: ServerResponse, options: SseStreamOptions): void {
  const { run, faults, connections } = options;
  let feed: EventFeed | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let delayTimer: NodeJS.Timeout | undefined;
  const forget = connections.add({ kill: () => res.socket?.destroy() ?? res.destroy() }, run.id);
  const cleanup = (): void => {
    feed?.stop();
    if (heartbeat !== undefined) clearInterval(heartbeat);
    if (delayTimer !== undefined) clearTimeout(delayTimer);
    forget();
  };
  res.on('close', cleanup);

  const open = (): void => {
    delayTimer = undefined;
    if (res.destroyed) return;
    setCorsHeaders(res);
    // Finished and nothing left: 204 tells EventSource not to reconnect (fetch clients see an empty, ok body).
    if (EventFeed.exhausted(run, options.after, options.filter)) {
      res.writeHead(204, { ...SSE_HEADERS, ...options.headers });
      res.end();
      return;
    }
    res.writeHead(200, { ...SSE_HEADERS, ...options.headers });
    res.flushHeaders();
    if (faults.buffer) run.countFault('buffer');
    const sink = new SseSink(res, options.encode ?? encodeAgentwireFrame, faults.buffer);
    // A first byte at once: clients tell a live stream from one a proxy holds back (auto falls back on that).
    sink.comment('connected');
    heartbeat = setInterval(() => sink.comment('ping'), options.heartbeatMs);
    feed = new EventFeed(run, sink, { after: options.after, filter: options.filter, faults });
    feed.start();
  };

  if (faults.delayMs > 0) {
    run.countFault('delay');
    delayTimer = setTimeout(open, faults.delayMs);
  } else open();
}
