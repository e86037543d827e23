/** The kit's own HTTP endpoints (paths from ServerPaths): create, chat-style create, snapshot, thread, events, SSE, input, cancel. */
import { decodeCommand, fillPath, type CreateRunResponse } from '../../protocol/index.ts';
import { HttpError, RunKitError } from '../errors.ts';
import { MAX_RUN_ID_LENGTH } from '../limits.ts';
import type { CreateRunOptions } from '../kit.ts';
import type { RunInfo } from '../log.ts';
import { snapshotJson } from '../snapshot-json.ts';
import type { StoredEvent } from '../stored-event.ts';
import { isRecord, readJsonBody } from './body.ts';
import type { ServerPaths } from './paths.ts';
import { parsePollQuery, pollPage } from './poll.ts';
import { NO_REPLY, type Reply, type ServerRequest } from './request.ts';
import { jsonReply, jsonTextReply } from './respond.ts';
import type { CreatePlan, Route, RouteContext, RunServer, RunServerOptions } from './server.ts';
import { heartbeatOf, resumeCursor, SSE_HEADERS } from './sse.ts';

export { snapshotJson } from '../snapshot-json.ts';

/** True for the events of the token plane (`/tokens`). */
export const isTokenRecord = (record: StoredEvent): boolean => record.type === 'token';

/** True when the run finished and nothing after `after` passes `filter` (the connection would end at once). */
async function exhausted(
  server: RunServer,
  runId: string,
  after: number,
  filter?: (record: StoredEvent) => boolean,
): Promise<boolean> {
  const info = await server.runs.log.info(runId);
  if (!info?.finished) return false;
  if (after >= info.lastSeq) return true;
  if (!filter) return false;
  for (let cursor = after; cursor < info.lastSeq;) {
    const records = await server.runs.log.read(runId, cursor, 1000);
    if (records.length === 0) return true;
    if (records.some(filter)) return false;
    cursor = records.at(-1)!.seq;
  }
  return true;
}

type Limits = RunServer['limits'];

/** Refuse (410 `events_trimmed`) a read after a seq whose successor is no longer kept. */
export function requireKept(info: RunInfo, after: number): void {
  if (after < info.trimmedThrough)
    throw new HttpError(
      410,
      'events_trimmed',
      `events after ${after} are no longer kept (kept from ${info.trimmedThrough + 1}): fetch the snapshot`,
    );
}

function runHeaders(paths: ServerPaths, runId: string): Record<string, string> {
  return { 'X-Run-Id': runId, Location: fillPath(paths.snapshot, runId) };
}

async function startRun(
  ctx: RouteContext,
  options: RunServerOptions,
  limits: Limits,
  onCreate: NonNullable<RunServerOptions['onCreate']>,
): Promise<{ runId: string; threadId: string | undefined }> {
  const { request, server } = ctx;
  await server.authorize(request, 'create', undefined);
  const body = await readJsonBody(request, limits.maxBodyBytes);
  const plan: CreatePlan = await onCreate({ request, body });
  const key = limits.maxActiveRunsPerClient === undefined ? undefined : clientKeyOf(request, options);
  const create: CreateRunOptions = {
    ...(plan.runId !== undefined && { runId: plan.runId }),
    ...(plan.threadId !== undefined && { threadId: plan.threadId }),
    ...(key !== undefined &&
      limits.maxActiveRunsPerClient !== undefined && {
        client: { key, limit: limits.maxActiveRunsPerClient },
      }),
  };
  try {
    const run = await server.runs.spawn(create, plan.produce);
    return { runId: run.id, threadId: run.threadId };
  } catch (error) {
    if (error instanceof RunKitError && error.code === 'too_many_runs')
      throw new HttpError(429, 'too_many_runs', error.message, { headers: { 'Retry-After': '1' } });
    if (error instanceof RunKitError && error.code === 'run_exists')
      throw new HttpError(409, 'run_exists', error.message);
    throw error;
  }
}

function clientKeyOf(request: ServerRequest, options: RunServerOptions): string | undefined {
  return options.clientKey ? options.clientKey(request) : request.remoteAddress;
}

/** The kit's routes. */
export function kitRoutes(paths: ServerPaths, options: RunServerOptions, limits: Limits): Route[] {
  const onCreate = options.onCreate;
  const routes: Route[] = [];

  if (onCreate) {
    routes.push({
      method: 'POST',
      template: paths.runs,
      async handle(ctx) {
        const { runId, threadId } = await startRun(ctx, options, limits, onCreate);
        const body: CreateRunResponse = { run_id: runId, ...(threadId !== undefined && { thread_id: threadId }) };
        return jsonReply(201, body, runHeaders(paths, runId));
      },
    });
    routes.push({
      method: 'POST',
      template: paths.createStream,
      async handle(ctx) {
        const { request, server } = ctx;
        const heartbeatMs = heartbeatOf(request.url.searchParams, server.heartbeatMs);
        const plan = server.planConnection(request, 'create-stream');
        const { runId } = await startRun(ctx, options, limits, onCreate);
        const shape = await server.openConnection(request, runId, plan);
        return server.sse(request, { runId, after: 0, heartbeatMs, shape, headers: runHeaders(paths, runId) });
      },
    });
  }

  routes.push({
    method: 'GET',
    template: paths.snapshot,
    async handle({ request, id, server }) {
      const info = await server.requireRun(id);
      await server.authorize(request, 'read', info.runId);
      const plan = server.planConnection(request, 'snapshot');
      await server.openConnection(request, info.runId, plan);
      const view = await server.runs.views.caughtUp(info.runId);
      // Stamped as served (the stored snapshot has no time): the client reads the server's clock from it.
      return jsonTextReply(200, snapshotJson({ ...view.snapshot(), server_time: new Date().toISOString() }));
    },
  });

  routes.push({
    method: 'GET',
    template: paths.thread,
    async handle({ request, id, server }) {
      if (id === '' || id.length > MAX_RUN_ID_LENGTH)
        throw new HttpError(400, 'invalid_query', 'the thread id must be 1 to 256 characters', { field: 'thread_id' });
      await server.authorize(request, 'read', undefined, id);
      return jsonReply(200, await server.runs.thread(id));
    },
  });

  routes.push({
    method: 'GET',
    template: paths.events,
    async handle({ request, id, server }) {
      const info = await server.requireRun(id);
      await server.authorize(request, 'read', info.runId);
      const query = parsePollQuery(request.url.searchParams);
      requireKept(info, query.after);
      const plan = server.planConnection(request, 'events');
      const shape = await server.openConnection(request, info.runId, plan);
      const view = await server.runs.views.caughtUp(info.runId, query.after);
      const page = await pollPage({
        request,
        log: server.runs.log,
        connections: server.connections,
        runId: info.runId,
        query,
        finished: info.finished,
        view,
        tap: shape?.tap,
      });
      // Undefined: the client left or the connection was cut; nothing is answered.
      return page === undefined ? NO_REPLY : jsonTextReply(200, page);
    },
  });

  for (const plane of ['stream', 'tokens'] as const) {
    const filter = plane === 'tokens' ? isTokenRecord : undefined;
    routes.push({
      method: 'GET',
      template: paths[plane],
      async handle({ request, id, server }): Promise<Reply> {
        const info = await server.requireRun(id);
        await server.authorize(request, 'read', info.runId);
        const after = resumeCursor(request);
        const heartbeatMs = heartbeatOf(request.url.searchParams, server.heartbeatMs);
        const plan = server.planConnection(request, plane);
        const shape = await server.openConnection(request, info.runId, plan);
        const headers = { 'X-Run-Id': info.runId };
        requireKept(info, after);
        // Finished and nothing left: 204 tells EventSource not to reconnect (fetch clients see an empty, ok body).
        if (await exhausted(server, info.runId, after, filter))
          return { kind: 'body', status: 204, headers: { ...SSE_HEADERS, ...headers }, body: '' };
        return server.sse(request, { runId: info.runId, after, heartbeatMs, filter, shape, headers });
      },
    });
  }

  routes.push({
    method: 'POST',
    template: paths.input,
    async handle({ request, id, server }) {
      const info = await server.requireRun(id);
      await server.authorize(request, 'reply', info.runId);
      const body = await readJsonBody(request, limits.maxBodyBytes);
      if (!isRecord(body))
        throw new HttpError(400, 'invalid_body', 'request body must be a JSON object {text, resume_token}');
      const decoded = decodeCommand({ ...body, type: 'user_reply' });
      if (!decoded.ok) {
        const field = decoded.error.field;
        throw new HttpError(400, 'invalid_body', decoded.error.message, field === undefined ? {} : { field });
      }
      if (decoded.value.type !== 'user_reply') throw new HttpError(400, 'invalid_body', 'expected a reply');
      const outcome = await server.runs.log.answer(info.runId, decoded.value);
      server.onReply?.(info.runId, decoded.value, outcome);
      if (!outcome.ok) throw new HttpError(outcome.error.status, outcome.error.code, outcome.error.message);
      return jsonReply(200, { accepted: true });
    },
  });

  routes.push({
    method: 'POST',
    template: paths.cancel,
    async handle({ request, id, server }) {
      const info = await server.requireRun(id);
      await server.authorize(request, 'cancel', info.runId);
      // The body carries nothing, but a malformed one is refused rather than acted on.
      await readJsonBody(request, limits.maxBodyBytes);
      const outcome = await server.runs.log.cancel(info.runId);
      if (!outcome.ok) throw new HttpError(outcome.error.status, outcome.error.code, outcome.error.message);
      return jsonReply(200, { state: 'cancelled' });
    },
  });

  return routes;
}
