/**
 * What the protocol routes share, on the server kit's neutral request/reply (so they mount on the
 * mock's RunServer with every other route, and answer over Node's http server or fetch alike):
 * JSON bodies, event-stream answers from a StreamLog (tracked in the server's connections, so
 * `dropConnections()` cuts them too), and the query switches every protocol route takes.
 */
import {
  HttpError,
  isRecord,
  readJsonBody,
  SSE_HEADERS,
  type RouteContext,
  type ServerRequest,
  type StreamReply,
} from '../../src/server/index.ts';
import type { StreamLog } from './stream-log.ts';

/** Largest request body a protocol route reads (a chat's whole history travels in each request). */
export const MAX_PROTOCOL_BODY_BYTES = 1024 * 1024;

/** Read a JSON object body (413 over `MAX_PROTOCOL_BODY_BYTES`, 400 when it is not a JSON object). */
export async function readJsonObject(request: ServerRequest): Promise<Record<string, unknown>> {
  const value = await readJsonBody(request, MAX_PROTOCOL_BODY_BYTES);
  if (!isRecord(value)) throw new HttpError(400, 'invalid_body', 'the request body must be a JSON object');
  return value;
}

/** Where an event-stream answer starts in its log, how it is cut, and its own headers. */
export interface EventStreamOptions {
  readonly from?: number;
  readonly cut?: StreamCut | null;
  readonly headers?: Readonly<Record<string, string>>;
}

/** An event-stream answer with the frames of `log` (following new ones), cut by `dropConnections()` like the kit's own streams. */
export function eventStreamReply(
  { request, server }: RouteContext,
  log: StreamLog,
  { from = 0, cut = null, headers = {} }: EventStreamOptions = {},
): StreamReply {
  return {
    kind: 'stream',
    status: 200,
    headers: { ...SSE_HEADERS, ...headers },
    start(sink) {
      const forget = server.connections.add({ kill: () => request.destroy() });
      sink.onClose(forget);
      log.pipe(sink, { from, cut });
    },
  };
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
      throw new HttpError(400, 'invalid_query', `${name} must be a non-negative integer`);
    return n;
  };
  const cutAfter = number('cut_after');
  const endAfter = number('end_after');
  if (cutAfter !== null && endAfter !== null)
    throw new HttpError(400, 'invalid_query', 'cut_after and end_after cannot be combined');
  const cut: StreamCut | null =
    cutAfter !== null ? { after: cutAfter, how: 'break' } : endAfter !== null ? { after: endAfter, how: 'end' } : null;
  return { delayMs: Math.min(number('delay_ms') ?? 0, 5_000), cut };
}
