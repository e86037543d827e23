/** agentwire's REST + SSE endpoints (paths from DEFAULT_PATHS). */
import {
  DEFAULT_PATHS,
  decodeCommand,
  toWireEvent,
  fillPath,
  isTokenPlaneEvent,
  type CreateRunResponse,
  type RunEvent,
  type RunSnapshot,
} from '../src/protocol/index.ts';
import { readJsonBody } from './body.ts';
import { parseCreateBody } from './create-options.ts';
import { HttpError } from './errors.ts';
import { activateFaults, armKill, parseFaults, unavailableError } from './faults.ts';
import { parsePollQuery, servePoll } from './poll.ts';
import { sendJson, sendJsonText } from './respond.ts';
import { CHAT_STREAM_PATH, SCENARIOS_PATH } from './routes.ts';
import { afterDelay, faultsFor, requireRun, type RequestContext, type Route } from './router.ts';
import type { Run } from './run.ts';
import { listScenarios } from './scenarios.ts';
import { heartbeatOf, resumeCursor, serveSse } from './sse.ts';

/** The snapshot as JSON; `unknown` log events go out in their wire form (`toWireEvent`), as on every other channel. */
export function snapshotJson(snapshot: RunSnapshot): string {
  return JSON.stringify({ ...snapshot, log: snapshot.log.map(toWireEvent) });
}

function runHeaders(run: Run): Record<string, string> {
  return { 'X-Run-Id': run.id, Location: fillPath(DEFAULT_PATHS.snapshot, run.id) };
}

async function createRun(ctx: RequestContext): Promise<void> {
  const options = parseCreateBody(await readJsonBody(ctx.req));
  const run = ctx.app.registry.create(options);
  const body: CreateRunResponse = { run_id: run.id };
  sendJson(ctx.res, 201, body, runHeaders(run));
}

async function createAndStream(ctx: RequestContext): Promise<void> {
  const query = ctx.url.searchParams;
  const heartbeatMs = heartbeatOf(query, ctx.app.heartbeatMs);
  const faultRequest = parseFaults(query);
  if (faultRequest.faults.unavailable) throw unavailableError();
  const options = parseCreateBody(await readJsonBody(ctx.req));
  const run = ctx.app.registry.create(options);
  const faults = activateFaults(run, 'stream', faultRequest);
  armKill(run, faults, ctx.app.connections);
  serveSse(ctx.req, ctx.res, {
    run,
    after: 0,
    faults,
    heartbeatMs,
    connections: ctx.app.connections,
    headers: runHeaders(run),
  });
}

function snapshot(ctx: RequestContext): void {
  const run = requireRun(ctx);
  const faults = faultsFor(ctx, run, 'snapshot');
  afterDelay(ctx, faults, () => sendJsonText(ctx.res, 200, snapshotJson(run.snapshot())));
}

function events(ctx: RequestContext): void {
  const run = requireRun(ctx);
  const query = parsePollQuery(ctx.url.searchParams);
  const faults = faultsFor(ctx, run, 'events');
  servePoll(ctx.res, run, query, faults, ctx.app.connections);
}

function stream(plane: 'stream' | 'tokens'): (ctx: RequestContext) => void {
  const filter = plane === 'tokens' ? (event: RunEvent): boolean => isTokenPlaneEvent(event) : undefined;
  return (ctx) => {
    const run = requireRun(ctx);
    const after = resumeCursor(ctx.req, ctx.url.searchParams);
    const heartbeatMs = heartbeatOf(ctx.url.searchParams, ctx.app.heartbeatMs);
    const faults = faultsFor(ctx, run, plane);
    serveSse(ctx.req, ctx.res, {
      run,
      after,
      filter,
      faults,
      heartbeatMs,
      connections: ctx.app.connections,
      headers: { 'X-Run-Id': run.id },
    });
  };
}

async function input(ctx: RequestContext): Promise<void> {
  const run = requireRun(ctx);
  const body = await readJsonBody(ctx.req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_body', 'request body must be a JSON object {text, resume_token}');
  }
  const decoded = decodeCommand({ ...body, type: 'user_reply' });
  if (!decoded.ok) {
    const field = decoded.error.field;
    throw new HttpError(400, 'invalid_body', decoded.error.message, field === undefined ? {} : { field });
  }
  if (decoded.value.type !== 'user_reply') throw new HttpError(400, 'invalid_body', 'expected a reply');
  const outcome = run.reply(decoded.value.text, decoded.value.resume_token);
  if (!outcome.ok) throw new HttpError(outcome.error.status, outcome.error.code, outcome.error.message);
  sendJson(ctx.res, 200, { accepted: true });
}

async function cancel(ctx: RequestContext): Promise<void> {
  const run = requireRun(ctx);
  // The body carries nothing, but a malformed one is refused rather than acted on.
  await readJsonBody(ctx.req);
  const outcome = run.cancel();
  if (!outcome.ok) throw new HttpError(outcome.error.status, outcome.error.code, outcome.error.message);
  sendJson(ctx.res, 200, { state: 'cancelled' });
}

function scenarios(ctx: RequestContext): void {
  sendJson(ctx.res, 200, { scenarios: listScenarios().map(({ name, description }) => ({ name, description })) });
}

/** agentwire's routes. */
export const API_ROUTES: readonly Route[] = [
  { method: 'GET', template: SCENARIOS_PATH, handle: scenarios },
  { method: 'POST', template: DEFAULT_PATHS.runs, handle: createRun },
  { method: 'POST', template: CHAT_STREAM_PATH, handle: createAndStream },
  { method: 'GET', template: DEFAULT_PATHS.snapshot, handle: snapshot },
  { method: 'GET', template: DEFAULT_PATHS.events, handle: events },
  { method: 'GET', template: DEFAULT_PATHS.stream, handle: stream('stream') },
  { method: 'GET', template: DEFAULT_PATHS.tokens, handle: stream('tokens') },
  { method: 'POST', template: DEFAULT_PATHS.input, handle: input },
  { method: 'POST', template: DEFAULT_PATHS.cancel, handle: cancel },
];
