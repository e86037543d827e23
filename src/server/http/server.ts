/**
 * `createRunServer()`: every endpoint the client relies on, written once over the kit's neutral
 * request/reply (see request.ts) and mounted by thin adapters: `server.fetch` (fetch runtimes),
 * and agentwire/server/node (Node's http server, Connect/Express, WebSocket through `ws`).
 */
import {
  CLOSE_EVENTS_TRIMMED,
  MAX_REQUEST_BODY_BYTES,
  MAX_WS_MESSAGE_BYTES,
  SSE_HEARTBEAT_MS,
  type SocketPlane,
} from '../../protocol/index.ts';
import { HttpError } from '../errors.ts';
import type { Producer, RunKit } from '../kit.ts';
import type { RunInfo } from '../log.ts';
import { MAX_RUN_ID_LENGTH } from '../limits.ts';
import type { StoredEvent } from '../stored-event.ts';
import { ConnectionSet } from './connections.ts';
import { EventFeed, type FeedTap } from './feed.ts';
import { handleFetch } from './fetch.ts';
import { kitRoutes } from './handlers.ts';
import { enumParam, intParam } from './params.ts';
import { SERVER_PATHS, matchPath, type ServerPaths } from './paths.ts';
import type { BodyReply, Reply, ServerRequest, ServerSocket, StreamReply, StreamSink } from './request.ts';
import { Cors, errorReply, toHttpError, type CorsOptions } from './respond.ts';
import { agentwireSession, SocketFeedSink, type ReplyObserver } from './socket.ts';
import { sseReply, type SseEncoder } from './sse.ts';

/** What a create request is, for `onCreate`. */
export interface CreateContext {
  readonly request: ServerRequest;
  /** The request body, parsed (an empty body is `{}`); untrusted. */
  readonly body: unknown;
}

/** How to start a run that a request asked for. */
export interface CreatePlan {
  /** The run's id (default: a random one). */
  readonly runId?: string;
  /** The conversation it belongs to. */
  readonly threadId?: string;
  /** Plays the run: emit, ask, return (done) or throw (failed). */
  readonly produce: Producer;
}

/** What a request wants to do, for `authorize`. */
export type ServerAction = 'create' | 'read' | 'reply' | 'cancel';

/** What `authorize` is asked about. */
export interface AuthorizeContext {
  readonly request: ServerRequest;
  readonly action: ServerAction;
  /** The run the request is about (undefined for `create` and for a thread's history). */
  readonly runId: string | undefined;
  /** The conversation a `read` of a thread's history is about. */
  readonly threadId?: string | undefined;
}

/** Size and count limits of a server. */
export interface ServerLimits {
  /** Largest JSON request body, bytes (413 over it; default `MAX_REQUEST_BODY_BYTES`). */
  readonly maxBodyBytes?: number;
  /** Largest WebSocket message from a client, bytes (closed 1009 over it; default `MAX_WS_MESSAGE_BYTES`). */
  readonly maxSocketMessageBytes?: number;
  /** Runs one client may have going at once (429 `too_many_runs` over it; default: no limit). */
  readonly maxActiveRunsPerClient?: number;
}

/** How one connection is shaped once its run is known. */
export interface ConnectionShape {
  /** Reshapes the events it gets. */
  readonly tap?: FeedTap | undefined;
  /** Wraps the byte sink of an SSE answer. */
  readonly wrap?: ((sink: StreamSink) => StreamSink) | undefined;
}

/** A connection's plan, made from its request before the run is looked at (may throw HttpError 400). */
export interface ConnectionPlan {
  /** Once the run is known: may wait, or throw HttpError (e.g. 503); says how to shape the connection. */
  open(runId: string): ConnectionShape | undefined | Promise<ConnectionShape | undefined>;
}

/** Makes a connection's plan; `endpoint` names the endpoint kind (`snapshot`, `events`, `stream`, `tokens`, `socket`, `create-stream`, or a route's own). */
export type ConnectionPlanner = (request: ServerRequest, endpoint: string) => ConnectionPlan | undefined;

/** A request as a route sees it. */
export interface RouteContext {
  readonly request: ServerRequest;
  /** The decoded `{id}` of the path ('' when the template has none). */
  readonly id: string;
  readonly server: RunServer;
}

/** An HTTP route: method + path template + handler. */
export interface Route {
  readonly method: 'GET' | 'POST';
  readonly template: string;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

/** What to do with a WebSocket upgrade. */
export type UpgradePlan =
  /** Accept, then run a session on the socket. */
  | { readonly kind: 'accept'; open(socket: ServerSocket): void }
  /** Accept, then close at once with a code (4404 unknown run, 4400 bad query). */
  | { readonly kind: 'close'; readonly code: number; readonly reason: string }
  /** Refuse the upgrade with an HTTP answer (401, 503). */
  | { readonly kind: 'reject'; readonly reply: BodyReply };

/** A WebSocket endpoint. */
export interface SocketRoute {
  readonly template: string;
  upgrade(ctx: RouteContext): UpgradePlan | Promise<UpgradePlan>;
}

/** Options of `createRunServer`. */
export interface RunServerOptions {
  /** The runs (and their log) the server serves. */
  readonly runs: RunKit;
  /** Starts runs for `POST /api/runs` and `POST /api/runs/stream`: validate the body (throw HttpError 400) and say what to produce. Without it those endpoints answer 404. */
  readonly onCreate?: (context: CreateContext) => CreatePlan | Promise<CreatePlan>;
  /** Decides whether a request may do what it asks: false answers 401 (`WWW-Authenticate: Bearer`); throw an HttpError for another answer. Default: everything is allowed. */
  readonly authorize?: (context: AuthorizeContext) => boolean | Promise<boolean>;
  /** CORS (default: any origin, no credentials); `false` sends no CORS headers. */
  readonly cors?: CorsOptions | false;
  /** SSE heartbeat interval, ms (default `SSE_HEARTBEAT_MS`); `?heartbeat=` overrides it per request. */
  readonly heartbeatMs?: number;
  readonly limits?: ServerLimits;
  /** The key runs are counted per for `maxActiveRunsPerClient` (default: the peer address). */
  readonly clientKey?: (request: ServerRequest) => string | undefined;
  /** Endpoint templates (default: agentwire's). */
  readonly paths?: Partial<ServerPaths>;
  /** Path prefixes the server answers for itself (JSON 404/405/426) instead of passing on (default `/api/`, `/ws/`). */
  readonly ownedPrefixes?: readonly string[];
  /** Per-connection plans: delay, refuse or reshape what a connection gets (the mock server's faults). */
  readonly connections?: ConnectionPlanner;
  /** More HTTP routes, matched before the kit's. */
  readonly routes?: readonly Route[];
  /** More WebSocket endpoints, matched before the kit's. */
  readonly sockets?: readonly SocketRoute[];
  /** Told about every reply a run receives (REST and WebSocket) and its outcome. */
  readonly onReply?: ReplyObserver;
  /** Told about unexpected failures (answered 500); default: `console.error`. */
  readonly onError?: (error: unknown, request: ServerRequest | undefined) => void;
}

/** Options of `RunServer.sse()`. */
export interface SseOptions {
  readonly runId: string;
  readonly after: number;
  readonly heartbeatMs: number;
  readonly filter?: ((record: StoredEvent) => boolean) | undefined;
  readonly shape?: ConnectionShape | undefined;
  readonly encode?: SseEncoder | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** Options of `RunServer.socketFeed()`. */
export interface SocketFeedOptions {
  readonly runId: string;
  readonly after: number;
  readonly encode?: ((record: StoredEvent) => string | undefined) | undefined;
  readonly filter?: ((record: StoredEvent) => boolean) | undefined;
  readonly shape?: ConnectionShape | undefined;
}

/** The server: answer requests, take socket upgrades, and the building blocks routes use. */
export interface RunServer {
  readonly runs: RunKit;
  readonly paths: Readonly<ServerPaths>;
  readonly heartbeatMs: number;
  readonly limits: Required<Omit<ServerLimits, 'maxActiveRunsPerClient'>> &
    Pick<ServerLimits, 'maxActiveRunsPerClient'>;
  /** Open streaming connections, by run. */
  readonly connections: ConnectionSet;
  /** Answer a request; undefined when no route or owned prefix matches (pass it on). */
  handle(request: ServerRequest): Promise<Reply | undefined>;
  /** True when `pathname` is one of the server's WebSocket endpoints. */
  ownsSocketPath(pathname: string): boolean;
  /** What to do with a WebSocket upgrade on one of the server's socket paths. */
  upgrade(request: ServerRequest): Promise<UpgradePlan>;
  /** Answer a fetch Request (`Request → Response`): Hono, Bun, Deno, route handlers. WebSocket paths answer 426. */
  fetch(request: Request): Promise<Response>;
  /** Cut every open SSE / WebSocket / long-poll connection at once; returns how many. Runs keep going. */
  dropConnections(): number;
  /** Number of open connections (all runs, or one run's). */
  openConnections(runId?: string): number;
  /** Cut every connection and refuse new ones (the kit and its log stay open). */
  close(): void;
  /** The run, or HttpError 404 `run_not_found`. */
  requireRun(runId: string): Promise<RunInfo>;
  /** Ask `authorize`; throws HttpError 401 when refused. */
  authorize(request: ServerRequest, action: ServerAction, runId: string | undefined, threadId?: string): Promise<void>;
  /** Make the connection's plan (HttpError 400 on a bad request). */
  planConnection(request: ServerRequest, endpoint: string): ConnectionPlan | undefined;
  /** Open a planned connection for a run: waits, refuses or shapes it (tracked, so it can be cut meanwhile). */
  openConnection(
    request: ServerRequest,
    runId: string,
    plan: ConnectionPlan | undefined,
  ): Promise<ConnectionShape | undefined>;
  /** An SSE answer with the run's events. */
  sse(request: ServerRequest, options: SseOptions): StreamReply;
  /** Feed a run's events to an open socket; returns the sink (for messages of the session's own). */
  socketFeed(socket: ServerSocket, options: SocketFeedOptions): SocketFeedSink;
  /** The reply observer and error reporter, for routes of a server's own. */
  readonly onReply: ReplyObserver | undefined;
  reportError(error: unknown, request: ServerRequest | undefined): void;
  /** The CORS headers of an answer to `request`. */
  corsHeaders(request: ServerRequest): Record<string, string>;
}

const SOCKET_PLANES: readonly SocketPlane[] = ['all', 'control'];
const CLOSE_REASON_BYTES = 123;

/** Cut a close reason to the 123 bytes RFC 6455 allows. */
export function closeReason(text: string): string {
  const encoder = new TextEncoder();
  let out = text;
  while (encoder.encode(out).length > CLOSE_REASON_BYTES) out = out.slice(0, -1);
  return out;
}

/** Make a server over a run kit. */
export function createRunServer(options: RunServerOptions): RunServer {
  const runs = options.runs;
  const log = runs.log;
  const paths: ServerPaths = { ...SERVER_PATHS, ...options.paths };
  const cors = new Cors(options.cors);
  const connections = new ConnectionSet();
  const limits = {
    maxBodyBytes: options.limits?.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES,
    maxSocketMessageBytes: options.limits?.maxSocketMessageBytes ?? MAX_WS_MESSAGE_BYTES,
    maxActiveRunsPerClient: options.limits?.maxActiveRunsPerClient,
  };
  const ownedPrefixes = options.ownedPrefixes ?? ['/api/', '/ws/'];
  const reportError =
    options.onError ??
    ((error: unknown) => {
      console.error('agentwire server: unexpected error', error);
    });
  let closed = false;

  const server: RunServer = {
    runs,
    paths,
    heartbeatMs: options.heartbeatMs ?? SSE_HEARTBEAT_MS,
    limits,
    connections,
    onReply: options.onReply,
    reportError: (error, request) => reportError(error, request),
    corsHeaders: (request) => cors.headersFor(request),

    async handle(request) {
      const pathname = request.url.pathname;
      const owned = ownedPrefixes.some((prefix) => pathname.startsWith(prefix) || pathname === prefix.slice(0, -1));
      let pathMatched = false;
      const allowed = new Set<string>();
      for (const route of allRoutes) {
        const id = matchPath(route.template, pathname);
        if (id === undefined) continue;
        pathMatched = true;
        allowed.add(route.method);
        if (route.method !== request.method) continue;
        return withCors(request, await answer(route, { request, id, server }));
      }
      if (!pathMatched && !owned && !server.ownsSocketPath(pathname)) return undefined;
      if (request.method === 'OPTIONS') return cors.preflight(request);
      let error: HttpError;
      if (pathMatched)
        error = new HttpError(405, 'method_not_allowed', `${request.method} is not allowed on ${pathname}`, {
          headers: { Allow: [...allowed, 'OPTIONS'].join(', ') },
        });
      else if (server.ownsSocketPath(pathname))
        error = new HttpError(426, 'upgrade_required', `${pathname} is a WebSocket endpoint`, {
          headers: { Upgrade: 'websocket' },
        });
      else error = new HttpError(404, 'not_found', `no endpoint ${request.method} ${pathname}`);
      return withCors(request, errorReply(error));
    },

    ownsSocketPath(pathname) {
      return allSockets.some((route) => matchPath(route.template, pathname) !== undefined);
    },

    async upgrade(request) {
      const pathname = request.url.pathname;
      for (const route of allSockets) {
        const id = matchPath(route.template, pathname);
        if (id === undefined) continue;
        if (closed) return reject(request, new HttpError(503, 'unavailable', 'the server is closing'));
        try {
          return await route.upgrade({ request, id, server });
        } catch (error) {
          return upgradeFailure(request, error);
        }
      }
      return { kind: 'close', code: 4404, reason: 'no such endpoint' };
    },

    fetch: (request) => handleFetch(server, request),
    dropConnections: () => connections.killAll(),
    openConnections: (runId) => (runId === undefined ? connections.size : connections.sizeOf(runId)),
    close() {
      closed = true;
      connections.killAll();
    },

    async requireRun(runId) {
      const info = runId.length <= MAX_RUN_ID_LENGTH ? await log.info(runId) : undefined;
      if (!info) throw new HttpError(404, 'run_not_found', `no run with id ${JSON.stringify(runId.slice(0, 80))}`);
      return info;
    },

    async authorize(request, action, runId, threadId) {
      if (!options.authorize) return;
      const allowed = await options.authorize({ request, action, runId, ...(threadId !== undefined && { threadId }) });
      if (!allowed)
        throw new HttpError(401, 'unauthorized', 'this request is not authorized', {
          headers: { 'WWW-Authenticate': 'Bearer' },
        });
    },

    planConnection(request, endpoint) {
      return options.connections?.(request, endpoint);
    },

    async openConnection(request, runId, plan) {
      if (!plan) return undefined;
      const forget = connections.add({ kill: () => request.destroy() }, runId);
      try {
        return await plan.open(runId);
      } finally {
        forget();
      }
    },

    sse(request, sseOptions) {
      return sseReply({
        request,
        log,
        connections,
        runId: sseOptions.runId,
        after: sseOptions.after,
        filter: sseOptions.filter,
        tap: sseOptions.shape?.tap,
        wrap: sseOptions.shape?.wrap,
        heartbeatMs: sseOptions.heartbeatMs,
        encode: sseOptions.encode,
        headers: sseOptions.headers,
      });
    },

    socketFeed(socket, feedOptions) {
      const sink = new SocketFeedSink(socket, feedOptions.encode);
      const feed = new EventFeed(log.tail(feedOptions.runId, feedOptions.after), sink, {
        filter: feedOptions.filter,
        tap: feedOptions.shape?.tap,
      });
      const forget = connections.add({ kill: () => socket.terminate() }, feedOptions.runId);
      socket.onClose(() => {
        feed.stop();
        forget();
      });
      feed.start();
      return sink;
    },
  };

  const kitSocket: SocketRoute = {
    template: paths.socket,
    async upgrade({ request, id }) {
      let info: RunInfo | undefined;
      try {
        info = await server.requireRun(id);
      } catch (error) {
        if (error instanceof HttpError && error.status === 404)
          return { kind: 'close', code: 4404, reason: 'run not found' };
        throw error;
      }
      await server.authorize(request, 'read', info.runId);
      let after: number;
      let plane: SocketPlane;
      let plan: ConnectionPlan | undefined;
      try {
        after = intParam(request.url.searchParams, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0;
        plane = enumParam(request.url.searchParams, 'plane', SOCKET_PLANES) ?? 'all';
        plan = server.planConnection(request, 'socket');
      } catch (error) {
        if (error instanceof HttpError && error.status < 500)
          return { kind: 'close', code: 4400, reason: closeReason(error.message) };
        throw error;
      }
      if (after < info.trimmedThrough) return { kind: 'close', code: CLOSE_EVENTS_TRIMMED, reason: 'events_trimmed' };
      const shape = await server.openConnection(request, info.runId, plan);
      return {
        kind: 'accept',
        open: (socket) =>
          agentwireSession({
            socket,
            log,
            connections,
            runId: info.runId,
            after,
            plane,
            tap: shape?.tap,
            onReply: options.onReply,
            onError: (error) => reportError(error, request),
          }),
      };
    },
  };

  const allRoutes: readonly Route[] = [...(options.routes ?? []), ...kitRoutes(paths, options, limits)];
  const allSockets: readonly SocketRoute[] = [...(options.sockets ?? []), kitSocket];

  async function answer(route: Route, ctx: RouteContext): Promise<Reply> {
    try {
      if (closed) throw new HttpError(503, 'unavailable', 'the server is closing');
      return await route.handle(ctx);
    } catch (error) {
      const http = toHttpError(error);
      if (http.code === 'internal_error') reportError(error, ctx.request);
      return errorReply(http);
    }
  }

  function withCors(request: ServerRequest, reply: Reply): Reply {
    const headers = cors.headersFor(request);
    if (Object.keys(headers).length === 0) return reply;
    return { ...reply, headers: { ...reply.headers, ...headers } };
  }

  function reject(request: ServerRequest, error: HttpError): UpgradePlan {
    return { kind: 'reject', reply: withCors(request, errorReply(error)) as BodyReply };
  }

  function upgradeFailure(request: ServerRequest, error: unknown): UpgradePlan {
    const http = toHttpError(error);
    if (http.code === 'internal_error') reportError(error, request);
    if (http.status === 400) return { kind: 'close', code: 4400, reason: closeReason(http.message) };
    if (http.status === 404) return { kind: 'close', code: 4404, reason: closeReason(http.message) };
    return reject(request, http);
  }

  return server;
}
