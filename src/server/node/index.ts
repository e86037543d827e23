/// <reference types="node" />
/**
 * agentwire/server/node: a RunServer on Node's http server, as Connect/Express middleware, and
 * its WebSocket endpoints through `ws` (an optional peer dependency).
 *
 *     const handler = createNodeHandler(server);
 *     http.createServer(handler).on('upgrade', handler.upgrade).listen(8787);
 *     app.use(handler);                          // Express / Connect (next() for other paths)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { HttpError } from '../errors.ts';
import { tooLarge } from '../http/body.ts';
import { parseRequestUrl } from '../http/paths.ts';
import type { BodyReply, Reply, ServerRequest, ServerSocket, StreamSink } from '../http/request.ts';
import { errorReply } from '../http/respond.ts';
import { closeReason, type RunServer } from '../http/server.ts';
import { MAX_DRAIN_BYTES, WS_PING_INTERVAL_MS } from '../limits.ts';

/** Options of `createNodeHandler`. */
export interface NodeHandlerOptions {
  /** WebSocket protocol-level ping interval, ms (default 30 s; 0 turns it off). A peer that misses a pong is cut. */
  readonly pingIntervalMs?: number;
}

/** A request listener and Connect/Express middleware, with the WebSocket upgrade handler beside it. */
export interface NodeHandler {
  /** Answer the server's paths; call `next()` (or answer JSON 404 without one) for the rest. */
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Take a WebSocket upgrade on one of the server's socket paths; false (untouched) for any other, e.g. Vite HMR. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Close every socket and stop the ping timers. */
  close(): void;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

function readText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    let received = 0;
    let refused = false;
    const chunks: Buffer[] = [];
    const refuse = (): void => {
      refused = true;
      chunks.length = 0;
      reject(tooLarge(limit));
    };
    if (Number.isFinite(declared) && declared > limit) refuse();
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (refused) {
        // Drain a bounded amount so the 413 reaches the client, then cut the connection.
        if (received > limit + MAX_DRAIN_BYTES) req.socket.destroy();
        return;
      }
      if (received > limit) refuse();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      if (!refused) reject(error);
    });
  });
}

/** The neutral view of a Node request (for an answer through `res`, or an upgrade on `socket`). */
export function fromNodeRequest(req: IncomingMessage, cut: () => void, gone: AbortSignal): ServerRequest {
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url: parseRequestUrl(req.url),
    header: (name) => headerOf(req, name),
    readText: (limit) => readText(req, limit),
    signal: gone,
    destroy: cut,
    remoteAddress: req.socket.remoteAddress,
    raw: req,
  };
}

function streamSink(res: ServerResponse): StreamSink {
  return {
    write: (text) => res.write(text),
    onDrain: (listener) => res.once('drain', listener),
    get writable() {
      return !res.writableNeedDrain;
    },
    end: () => res.end(),
    // FIN without the final chunk: the client sees the body cut off mid-stream.
    abort: () => (res.socket ? res.socket.end() : res.destroy()),
    onClose(listener) {
      if (res.closed) queueMicrotask(listener);
      else res.once('close', listener);
    },
    get closed() {
      return res.closed || res.writableEnded;
    },
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.kind === 'none' || res.destroyed) return;
  if (res.headersSent) {
    res.end();
    return;
  }
  if (reply.kind === 'body') {
    const empty = reply.status === 204 || reply.status === 304;
    res.writeHead(reply.status, {
      ...reply.headers,
      ...(!empty && { 'Content-Length': String(Buffer.byteLength(reply.body)) }),
    });
    res.end(empty ? undefined : reply.body);
    return;
  }
  res.writeHead(reply.status, reply.headers);
  res.flushHeaders();
  reply.start(streamSink(res));
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Refuse an upgrade with a plain HTTP answer (what a 401 or 503 in front of a WebSocket looks like). */
function rejectUpgrade(socket: Duplex, reply: BodyReply): void {
  const headers: Record<string, string> = {
    ...reply.headers,
    'Content-Length': String(Buffer.byteLength(reply.body)),
    Connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${reply.status} ${STATUS_TEXT[reply.status] ?? 'Error'}\r\n${head}\r\n${reply.body}`);
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function serverSocket(ws: WebSocket, pingIntervalMs: number): ServerSocket {
  let alive = true;
  const ping =
    pingIntervalMs > 0
      ? setInterval(() => {
          if (!alive) {
            ws.terminate();
            return;
          }
          alive = false;
          ws.ping();
        }, pingIntervalMs)
      : undefined;
  ws.on('pong', () => {
    alive = true;
  });
  ws.on('error', () => ws.terminate());
  ws.on('close', () => {
    if (ping !== undefined) clearInterval(ping);
  });
  return {
    send: (text, sent) => ws.send(text, () => sent?.()),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    get open() {
      return ws.readyState === WebSocket.OPEN;
    },
    close: (code, reason) => ws.close(code, closeReason(reason)),
    terminate: () => ws.terminate(),
    onMessage: (listener) => ws.on('message', (data, isBinary) => listener(isBinary ? undefined : toText(data))),
    onClose: (listener) => ws.once('close', () => listener()),
  };
}

/** Mount a RunServer on Node: a request listener / middleware and an upgrade handler. */
export function createNodeHandler(server: RunServer, options: NodeHandlerOptions = {}): NodeHandler {
  const pingIntervalMs = options.pingIntervalMs ?? WS_PING_INTERVAL_MS;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: server.limits.maxSocketMessageBytes,
    perMessageDeflate: false,
    clientTracking: true,
  });

  const handler = ((req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const cut = (): void => {
      if (res.socket) res.socket.destroy();
      else res.destroy();
    };
    let request: ServerRequest;
    try {
      request = fromNodeRequest(req, cut, gone.signal);
    } catch {
      send(res, errorReply(new HttpError(400, 'invalid_query', 'malformed request URL')));
      return;
    }
    server.handle(request).then(
      (reply) => {
        if (reply !== undefined) send(res, reply);
        else if (next) next();
        else
          send(
            res,
            errorReply(new HttpError(404, 'not_found', `no endpoint ${request.method} ${request.url.pathname}`)),
          );
      },
      (error: unknown) => {
        server.reportError(error, request);
        send(res, errorReply(error));
      },
    );
  }) as NodeHandler;

  handler.upgrade = (req, socket, head) => {
    let pathname: string;
    try {
      pathname = parseRequestUrl(req.url).pathname;
    } catch {
      return false;
    }
    if (!server.ownsSocketPath(pathname)) return false;
    socket.on('error', () => socket.destroy());
    const gone = new AbortController();
    socket.once('close', () => gone.abort());
    const request = fromNodeRequest(req, () => socket.destroy(), gone.signal);
    server.upgrade(request).then(
      (plan) => {
        if (socket.destroyed) return;
        if (plan.kind === 'reject') {
          rejectUpgrade(socket, plan.reply);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          if (plan.kind === 'close') {
            ws.on('error', () => ws.terminate());
            ws.close(plan.code, closeReason(plan.reason));
            return;
          }
          plan.open(serverSocket(ws, pingIntervalMs));
        });
      },
      (error: unknown) => {
        server.reportError(error, request);
        if (!socket.destroyed) socket.destroy();
      },
    );
    return true;
  };

  handler.close = () => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
  return handler;
}

/** Options of `listen`. */
export interface ListenOptions extends NodeHandlerOptions {
  /** Port (0, the default, picks a free one). */
  readonly port?: number;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
}

/** A RunServer listening on its own Node http server. */
export interface NodeListener {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  /** Cut every connection and stop listening (the kit stays open: close it yourself). */
  close(): Promise<void>;
}

/** Start a Node http server for a RunServer (REST, SSE and WebSocket). */
export async function listen(server: RunServer, options: ListenOptions = {}): Promise<NodeListener> {
  const handler = createNodeHandler(server, options);
  const httpServer = createServer({ noDelay: true }, handler);
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!handler.upgrade(req, socket, head)) socket.destroy();
  });
  httpServer.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    httpServer,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close();
        handler.close();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      })),
  };
}
