/** Server-sent events: one run's events (or a subset) as an SSE answer, with resume and heartbeats. */
import { encodeSseComment } from '../../protocol/index.ts';
import type { RunLog } from '../log.ts';
import { MAX_HEARTBEAT_MS, MIN_HEARTBEAT_MS } from '../limits.ts';
import type { StoredEvent } from '../stored-event.ts';
import type { ConnectionSet } from './connections.ts';
import { EventFeed, type FeedSink, type FeedTap, type RawFrames } from './feed.ts';
import { intParam, parseIntValue } from './params.ts';
import type { ServerRequest, StreamReply, StreamSink } from './request.ts';

/** Headers of every SSE answer: no caching, no transformation, no proxy buffering. */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
});

/** Turns a kept event into an SSE frame, or undefined to leave it out. */
export type SseEncoder = (record: StoredEvent) => string | undefined;

/** agentwire's own framing: `id:`, `event:`, `data:` (cached on the record). */
export const encodeAgentwireFrame: SseEncoder = (record) => record.sse;

/** Everything one SSE answer needs. */
export interface SseStreamOptions {
  readonly request: ServerRequest;
  readonly log: RunLog;
  readonly connections: ConnectionSet;
  readonly runId: string;
  /** Replay events after this seq. */
  readonly after: number;
  readonly filter?: ((record: StoredEvent) => boolean) | undefined;
  readonly tap?: FeedTap | undefined;
  /** Wraps the byte sink (e.g. a proxy that buffers). */
  readonly wrap?: ((sink: StreamSink) => StreamSink) | undefined;
  readonly heartbeatMs: number;
  readonly encode?: SseEncoder | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** The resume cursor of a request: `Last-Event-ID` header, else `?after=`, else 0. The header wins. */
export function resumeCursor(request: ServerRequest): number {
  const header = request.header('last-event-id');
  if (header !== undefined && header.trim() !== '')
    return parseIntValue(header, 'Last-Event-ID', { min: 0, max: Number.MAX_SAFE_INTEGER });
  return intParam(request.url.searchParams, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0;
}

/** The heartbeat interval of a request: `?heartbeat=<ms>` or the server's default. */
export function heartbeatOf(query: URLSearchParams, fallback: number): number {
  return intParam(query, 'heartbeat', { min: MIN_HEARTBEAT_MS, max: MAX_HEARTBEAT_MS }) ?? fallback;
}

/** Writes a feed's events as SSE frames, one write per batch. */
class SseFeedSink implements FeedSink {
  private queued: string[] = [];

  constructor(
    private readonly sink: StreamSink,
    private readonly encode: SseEncoder,
  ) {}

  write(record: StoredEvent): void {
    const frame = this.encode(record);
    if (frame !== undefined) this.queued.push(frame);
  }

  writeRaw(raw: RawFrames): void {
    this.queued.push(raw.sse);
  }

  flush(): boolean {
    if (this.sink.closed) return true;
    if (this.queued.length === 0) return this.sink.writable;
    const text = this.queued.length === 1 ? this.queued[0]! : this.queued.join('');
    this.queued = [];
    return this.sink.write(text);
  }

  onDrain(resume: () => void): void {
    this.sink.onDrain(resume);
  }

  abort(): void {
    this.sink.abort();
  }

  complete(): void {
    this.sink.end();
  }

  fail(): void {
    this.sink.abort();
  }
}

/**
 * The SSE answer: a `: connected` comment at once (so a client tells a live stream from one a
 * proxy holds back), the events after the cursor, then live ones until the run's last event,
 * with a `: ping` comment every `heartbeatMs`.
 */
export function sseReply(options: SseStreamOptions): StreamReply {
  return {
    kind: 'stream',
    status: 200,
    headers: { ...SSE_HEADERS, ...options.headers },
    start(raw) {
      const sink = options.wrap ? options.wrap(raw) : raw;
      const forget = options.connections.add({ kill: () => options.request.destroy() }, options.runId);
      const feed = new EventFeed(
        options.log.tail(options.runId, options.after),
        new SseFeedSink(sink, options.encode ?? encodeAgentwireFrame),
        { filter: options.filter, tap: options.tap },
      );
      const heartbeat = setInterval(() => {
        if (!sink.closed) sink.write(encodeSseComment('ping'));
      }, options.heartbeatMs);
      raw.onClose(() => {
        clearInterval(heartbeat);
        feed.stop();
        forget();
      });
      sink.write(encodeSseComment('connected'));
      feed.start();
    },
  };
}
