/**
 * What the mock server sent and received, per run, counted the way a page sees it (so a client's
 * wire tap can be checked against it): requests about a run (HTTP requests on its paths, and
 * WebSocket upgrades; CORS preflights apart, since pages never see them), body bytes each way
 * (HTTP bodies; WebSocket data-frame payloads, not framing, control frames or headers), and
 * WebSocket connections. Attached around the Node handler, so every channel and fault is counted
 * as it really went out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** One run's traffic. */
export interface TrafficCounts {
  /** HTTP requests on the run's paths (not preflights) and WebSocket upgrade requests. */
  requests: number;
  /** CORS preflights (OPTIONS): a page's fetch never sees them. */
  preflights: number;
  /** Body bytes received from clients (request bodies, WebSocket data payloads). */
  bytesIn: number;
  /** Body bytes sent to clients (response bodies, WebSocket data payloads). */
  bytesOut: number;
  /** WebSocket upgrade requests. */
  sockets: number;
  /** Requests per endpoint kind (`stream`, `tokens`, `events`, `snapshot`, `ws`, `input`, `cancel`, `other`). */
  byEndpoint: Record<string, number>;
}

/** Most runs whose traffic is kept (the oldest are forgotten). */
const MAX_RUNS = 10_000;

/** The run a request is about, and its endpoint kind, from the path; undefined for others (create, scenarios). */
export function runOfPath(url: string | undefined): { runId: string; endpoint: string } | undefined {
  const path = (url ?? '').split('?')[0]!;
  const match = /^\/(?:api\/runs|ws\/runs|plain\/tasks|plain\/ws\/agent)\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
  if (!match || match[1] === 'stream') return undefined;
  let runId: string;
  try {
    runId = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  const endpoint = path.startsWith('/ws/') || path.startsWith('/plain/ws/') ? 'ws' : (match[2] ?? 'snapshot');
  return { runId, endpoint };
}

/**
 * Counts the payload bytes of WebSocket data frames in a byte stream (RFC 6455 §5.2), fed in
 * whatever pieces it comes: masked (client → server) or not.
 */
export class FrameCounter {
  private header: number[] = [];
  private remaining = 0;
  private data = false;

  /** Payload bytes of data frames (text, binary, continuation) seen so far. */
  payload = 0;

  /** Feed the next bytes. */
  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        if (this.data) this.payload += take;
        this.remaining -= take;
        i += take;
        continue;
      }
      this.header.push(chunk[i++]!);
      this.readHeader();
    }
  }

  private readHeader(): void {
    const h = this.header;
    if (h.length < 2) return;
    const masked = (h[1]! & 0x80) !== 0;
    const short = h[1]! & 0x7f;
    const extra = short === 126 ? 2 : short === 127 ? 8 : 0;
    const need = 2 + extra + (masked ? 4 : 0);
    if (h.length < need) return;
    let length = short;
    if (short === 126) length = (h[2]! << 8) | h[3]!;
    else if (short === 127) {
      length = 0;
      for (let b = 2; b < 10; b++) length = length * 256 + h[b]!;
    }
    const opcode = h[0]! & 0x0f;
    this.data = opcode <= 0x2;
    this.remaining = length;
    this.header = [];
  }
}

/** Counts traffic per run. */
export class TrafficMeter {
  private readonly runs = new Map<string, TrafficCounts>();

  /** The counts of one run (undefined before its first request). */
  get(runId: string): TrafficCounts | undefined {
    const counts = this.runs.get(runId);
    return counts && { ...counts, byEndpoint: { ...counts.byEndpoint } };
  }

  private counts(runId: string): TrafficCounts {
    let counts = this.runs.get(runId);
    if (!counts) {
      counts = { requests: 0, preflights: 0, bytesIn: 0, bytesOut: 0, sockets: 0, byEndpoint: {} };
      this.runs.set(runId, counts);
      if (this.runs.size > MAX_RUNS) this.runs.delete(this.runs.keys().next().value!);
    }
    return counts;
  }

  /** Count an HTTP request and its answer's body as it is written. */
  observeHttp(req: IncomingMessage, res: ServerResponse): void {
    const about = runOfPath(req.url);
    if (!about) return;
    const counts = this.counts(about.runId);
    if (req.method === 'OPTIONS') {
      counts.preflights++;
      return;
    }
    counts.requests++;
    counts.byEndpoint[about.endpoint] = (counts.byEndpoint[about.endpoint] ?? 0) + 1;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > 0) counts.bytesIn += declared;
    const size = (chunk: unknown, encoding: unknown): number =>
      typeof chunk === 'string'
        ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : chunk instanceof Uint8Array
          ? chunk.byteLength
          : 0;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      counts.bytesOut += size(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && typeof chunk !== 'function') counts.bytesOut += size(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as typeof res.end;
  }

  /** Count a WebSocket upgrade and the payload of every data frame each way. */
  observeUpgrade(req: IncomingMessage, socket: Duplex): void {
    const about = runOfPath(req.url);
    if (!about) return;
    const counts = this.counts(about.runId);
    counts.requests++;
    counts.sockets++;
    counts.byEndpoint['ws'] = (counts.byEndpoint['ws'] ?? 0) + 1;
    const outgoing = new FrameCounter();
    const incoming = new FrameCounter();
    /** Bytes of the HTTP answer (101, or a refusal) still to skip before frames start. */
    let inHeaders = true;
    let headerTail = '';
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      let bytes: Uint8Array | undefined =
        typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? chunk : undefined;
      if (bytes && inHeaders) {
        const text = headerTail + Buffer.from(bytes).toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) {
          headerTail = text.slice(-3);
          bytes = undefined;
        } else {
          inHeaders = false;
          // Only a 101 is followed by frames (a refused upgrade's body is not a WebSocket's).
          bytes = text.startsWith('HTTP/1.1 101') ? Buffer.from(text.slice(end + 4), 'latin1') : undefined;
          if (!bytes) socket.write = write as typeof socket.write;
        }
      }
      if (bytes) {
        const before = outgoing.payload;
        outgoing.push(bytes);
        counts.bytesOut += outgoing.payload - before;
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'data' && args[0] instanceof Uint8Array) {
        const before = incoming.payload;
        incoming.push(args[0]);
        counts.bytesIn += incoming.payload - before;
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
  }
}
