/** A tiny router over `{id}` path templates, plus the helpers every handler shares. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConnectionSet } from './connections.ts';
import { HttpError } from './errors.ts';
import { activateFaults, armKill, parseFaults, unavailableError, type EndpointKind, type Faults } from './faults.ts';
import type { RunRegistry } from './registry.ts';
import { answerPreflight, sendError } from './respond.ts';
import { isOwnedPath, matchPath, parseRequestUrl } from './routes.ts';
import type { Run } from './run.ts';

/** What handlers share: the runs, the open connections, the defaults. */
export interface AppContext {
  readonly registry: RunRegistry;
  readonly connections: ConnectionSet;
  /** SSE heartbeat interval when the request does not ask for one. */
  readonly heartbeatMs: number;
}

/** One request, routed. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** The decoded `{id}` of the path ('' when the template has none). */
  readonly id: string;
  readonly app: AppContext;
}

/** A route: method + path template + handler. */
export interface Route {
  readonly method: 'GET' | 'POST';
  readonly template: string;
  readonly handle: (ctx: RequestContext) => void | Promise<void>;
}

/** The run a request names, or a 404 `run_not_found`. */
export function requireRun(ctx: RequestContext): Run {
  const run = ctx.app.registry.get(ctx.id);
  if (!run) throw new HttpError(404, 'run_not_found', `no run with id ${JSON.stringify(ctx.id)}`);
  return run;
}

/** The faults this connection gets (400 on bad switches, 503 when `fault_503` is active); arms `fault_kill_at`. */
export function faultsFor(ctx: RequestContext, run: Run, kind: EndpointKind): Faults {
  const faults = activateFaults(run, kind, parseFaults(ctx.url.searchParams));
  if (faults.unavailable) {
    run.countFault('503');
    throw unavailableError();
  }
  armKill(run, faults, ctx.app.connections);
  return faults;
}

/** Run `fn` after the `fault_delay` (at once without one); nothing happens if the client left meanwhile. */
export function afterDelay(ctx: RequestContext, faults: Faults, fn: () => void): void {
  if (faults.delayMs <= 0) {
    fn();
    return;
  }
  const forget = ctx.app.connections.add({ kill: () => ctx.res.socket?.destroy() });
  const timer = setTimeout(() => {
    forget();
    if (!ctx.res.destroyed) fn();
  }, faults.delayMs);
  ctx.res.once('close', () => {
    clearTimeout(timer);
    forget();
  });
}

/** Connect-style middleware over a route table: owned paths are answered (JSON errors), others go to `next`. */
export function createRouter(
  routes: readonly Route[],
  app: AppContext,
): (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void {
  return (req, res, next) => {
    let url: URL;
    try {
      url = parseRequestUrl(req.url);
    } catch {
      sendError(res, new HttpError(400, 'invalid_query', 'malformed request URL'));
      return;
    }
    if (!isOwnedPath(url.pathname)) {
      if (next) next();
      else sendError(res, new HttpError(404, 'not_found', `nothing at ${url.pathname}`));
      return;
    }
    if (req.method === 'OPTIONS') {
      answerPreflight(req, res);
      return;
    }
    let pathMatched = false;
    const allowed = new Set<string>();
    for (const route of routes) {
      const id = matchPath(route.template, url.pathname);
      if (id === undefined) continue;
      pathMatched = true;
      allowed.add(route.method);
      if (route.method !== req.method) continue;
      const ctx: RequestContext = { req, res, url, id, app };
      try {
        const done = route.handle(ctx);
        if (done) done.catch((err: unknown) => sendError(res, err));
      } catch (err) {
        sendError(res, err);
      }
      return;
    }
    if (pathMatched) {
      const allow = [...allowed, 'OPTIONS'].join(', ');
      sendError(
        res,
        new HttpError(405, 'method_not_allowed', `${req.method ?? 'this method'} is not allowed on ${url.pathname}`, {
          headers: { Allow: allow },
        }),
      );
    } else if (url.pathname.startsWith('/ws/') || url.pathname.startsWith('/plain/ws/')) {
      sendError(
        res,
        new HttpError(426, 'upgrade_required', `${url.pathname} is a WebSocket endpoint`, {
          headers: { Upgrade: 'websocket' },
        }),
      );
    } else {
      sendError(
        res,
        new HttpError(404, 'not_found', `no endpoint ${req.method ?? ''} ${url.pathname}`.replace('  ', ' ')),
      );
    }
  };
}
