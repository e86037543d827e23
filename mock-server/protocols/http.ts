/**
 * What the protocol routes share, self-contained (node:http only): CORS, JSON bodies and errors,
 * event-stream headers, and the query switches every protocol route takes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body a protocol route reads (a chat's whole history travels in each request). */
export const MAX_PROTOCOL_BODY_BYTES = 1024 * 1024;

/** An error answered as JSON `{error: {code, message}}`. */
export class RouteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** CORS on every answer (the mock is open to any origin). */
export function cors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'X-Run-Id, X-Vercel-AI-UI-Message-Stream');
}

/** Answer a CORS preflight. */
export function preflight(req: IncomingMessage, res: ServerResponse): void {
  cors(res);
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': typeof requested === 'string' ? requested : 'Content-Type, Accept',
    'Access-Control-Max-Age': '600',
    'Content-Length': '0',
  });
  res.end();
}

/** Answer JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  cors(res);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Answer an error (a RouteError as it is, anything else as a 500). */
export function sendError(res: ServerResponse, error: unknown): void {
  const e = error instanceof RouteError ? error : new RouteError(500, 'internal_error', String(error));
  sendJson(res, e.status, { error: { code: e.code, message: e.message } });
}

/** Read a JSON object body. */
export function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PROTOCOL_BODY_BYTES) {
        reject(new RouteError(413, 'payload_too_large', `request body exceeds ${MAX_PROTOCOL_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      let value: unknown;
      try {
        value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        reject(new RouteError(400, 'invalid_body', 'the request body is not JSON'));
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        reject(new RouteError(400, 'invalid_body', 'the request body must be a JSON object'));
      else resolve(value as Record<string, unknown>);
    });
  });
}

/** Start an event-stream answer. */
export function startEventStream(res: ServerResponse, headers: Record<string, string> = {}): void {
  cors(res);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    ...headers,
  });
  res.flushHeaders();
}

/**
 * A stream cut short after `after` frames, before the protocol's own end. `break`: the body is
 * broken off (FIN without the final chunk; a browser may drop bytes it had not read yet, as on a
 * real network). `end`: the body ends cleanly there (what a proxy's timeout does; every byte
 * written arrives, so tests of what was shown before the cut are deterministic).
 */
export interface StreamCut {
  readonly after: number;
  readonly how: 'break' | 'end';
}

/** The switches of a protocol route's query: pacing and the cut fault. */
export interface StreamSwitches {
  /** Pause between frames, ms (`delay_ms`, default 0: as fast as possible, still yielding). */
  delayMs: number;
  /** Cut the answer after N frames: broken off (`cut_after=N`) or ended early (`end_after=N`). */
  cut: StreamCut | null;
}

/** Read `delay_ms`, `cut_after` and `end_after` from a request URL. */
export function switchesOf(url: URL): StreamSwitches {
  const number = (name: string): number | null => {
    const raw = url.searchParams.get(name);
    if (raw === null) return null;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RouteError(400, 'invalid_query', `${name} must be a non-negative integer`);
    return n;
  };
  const cutAfter = number('cut_after');
  const endAfter = number('end_after');
  if (cutAfter !== null && endAfter !== null)
    throw new RouteError(400, 'invalid_query', 'cut_after and end_after cannot be combined');
  const cut: StreamCut | null =
    cutAfter !== null ? { after: cutAfter, how: 'break' } : endAfter !== null ? { after: endAfter, how: 'end' } : null;
  return { delayMs: Math.min(number('delay_ms') ?? 0, 5_000), cut };
}
