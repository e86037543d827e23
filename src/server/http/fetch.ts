/**
 * The fetch adapter: `Request → Response`, for Hono, Bun, Deno, route handlers and every other
 * fetch runtime. SSE answers are ReadableStreams with backpressure (the stream's queue is the
 * only buffer, bounded by SSE_HIGH_WATER_BYTES); WebSocket endpoints answer 426 here (mount the
 * Node adapter, or your runtime's upgrade, for them).
 */
import { SSE_HIGH_WATER_BYTES } from '../limits.ts';
import { HttpError } from '../errors.ts';
import { tooLarge } from './body.ts';
import { parseRequestUrl } from './paths.ts';
import type { Reply, ServerRequest, StreamReply, StreamSink } from './request.ts';
import { errorReply } from './respond.ts';

/** What the fetch adapter needs of a server. */
export interface FetchableServer {
  handle(request: ServerRequest): Promise<Reply | undefined>;
  reportError(error: unknown, request: ServerRequest | undefined): void;
}

const encoder = new TextEncoder();

async function readLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** The neutral view of a fetch Request. */
export function fromFetchRequest(
  request: Request,
  remoteAddress?: string,
): ServerRequest & { readonly gone: AbortSignal } {
  const url = new URL(request.url);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (request.signal.aborted) abort();
  else request.signal.addEventListener('abort', abort, { once: true });
  return {
    method: request.method.toUpperCase(),
    url: parseRequestUrl(`${url.pathname}${url.search}`),
    header: (name) => request.headers.get(name) ?? undefined,
    readText: (limit) => readLimited(request, limit),
    signal: controller.signal,
    gone: controller.signal,
    destroy: abort,
    remoteAddress,
    raw: request,
  };
}

function streamBody(reply: StreamReply, gone: AbortSignal): ReadableStream<Uint8Array> {
  let drainWaiters: (() => void)[] = [];
  let closeListeners: (() => void)[] = [];
  let closed = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const close = (): void => {
    if (closed) return;
    closed = true;
    gone.removeEventListener('abort', onGone);
    const listeners = closeListeners;
    closeListeners = [];
    drainWaiters = [];
    for (const listener of listeners) listener();
  };
  const onGone = (): void => {
    if (closed) return;
    try {
      controller.error(new Error('connection cut'));
    } catch {
      // Already errored or closed.
    }
    close();
  };
  const sink: StreamSink = {
    write(text) {
      if (closed) return true;
      controller.enqueue(encoder.encode(text));
      return (controller.desiredSize ?? 0) > 0;
    },
    onDrain(listener) {
      if (closed) return;
      if ((controller.desiredSize ?? 0) > 0) queueMicrotask(listener);
      else drainWaiters.push(listener);
    },
    get writable() {
      return !closed && (controller.desiredSize ?? 0) > 0;
    },
    end() {
      if (closed) return;
      controller.close();
      close();
    },
    abort() {
      onGone();
    },
    onClose(listener) {
      if (closed) queueMicrotask(listener);
      else closeListeners.push(listener);
    },
    get closed() {
      return closed;
    },
  };
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        if (gone.aborted) {
          onGone();
          return;
        }
        gone.addEventListener('abort', onGone, { once: true });
        reply.start(sink);
      },
      pull() {
        const waiters = drainWaiters;
        drainWaiters = [];
        for (const wake of waiters) wake();
      },
      cancel() {
        close();
      },
    },
    { highWaterMark: SSE_HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );
}

/** A Response for a neutral reply. */
export function toFetchResponse(reply: Reply, gone: AbortSignal): Response {
  if (reply.kind === 'none') return new Response(null, { status: 503, headers: { Connection: 'close' } });
  if (reply.kind === 'body') {
    const empty = reply.body === '' || reply.status === 204 || reply.status === 304;
    return new Response(empty ? null : reply.body, { status: reply.status, headers: reply.headers });
  }
  return new Response(streamBody(reply, gone), { status: reply.status, headers: reply.headers });
}

/** Answer a fetch Request; paths the server does not own get a JSON 404. */
export async function handleFetch(
  server: FetchableServer,
  request: Request,
  remoteAddress?: string,
): Promise<Response> {
  const neutral = fromFetchRequest(request, remoteAddress);
  let reply: Reply | undefined;
  try {
    reply = await server.handle(neutral);
  } catch (error) {
    server.reportError(error, neutral);
    reply = errorReply(error);
  }
  reply ??= errorReply(new HttpError(404, 'not_found', `no endpoint ${neutral.method} ${neutral.url.pathname}`));
  return toFetchResponse(reply, neutral.gone);
}
