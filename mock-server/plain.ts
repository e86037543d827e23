/** The plain dialect's REST + SSE endpoints under `/plain/` (its WebSocket lives in ws.ts). */
import { readJsonBody } from './body.ts';
import { parseCreateBody } from './create-options.ts';
import { DEFAULT_PLAIN_SCENARIO, PLAIN_SCENARIOS } from './limits.ts';
import { plainSseFrame, plainTask } from './plain-shapes.ts';
import { sendJson } from './respond.ts';
import { PLAIN_PATHS } from './routes.ts';
import { afterDelay, faultsFor, requireRun, type RequestContext, type Route } from './router.ts';
import { heartbeatOf, serveSse } from './sse.ts';

async function createTask(ctx: RequestContext): Promise<void> {
  const options = parseCreateBody(await readJsonBody(ctx.req), {
    defaultScenario: DEFAULT_PLAIN_SCENARIO,
    scenarios: PLAIN_SCENARIOS,
  });
  const run = ctx.app.registry.create(options, 'plain');
  sendJson(ctx.res, 201, { task_id: run.id });
}

function getTask(ctx: RequestContext): void {
  const run = requireRun(ctx);
  const faults = faultsFor(ctx, run, 'plain-task');
  afterDelay(ctx, faults, () => sendJson(ctx.res, 200, plainTask(run.snapshot())));
}

function streamTask(ctx: RequestContext): void {
  const run = requireRun(ctx);
  const heartbeatMs = heartbeatOf(ctx.url.searchParams, ctx.app.heartbeatMs);
  const faults = faultsFor(ctx, run, 'plain-stream');
  serveSse(ctx.req, ctx.res, {
    run,
    after: 0,
    faults,
    heartbeatMs,
    connections: ctx.app.connections,
    encode: (record) => plainSseFrame(record.event, run.id),
  });
}

/** The plain dialect's HTTP routes. */
export const PLAIN_ROUTES: readonly Route[] = [
  { method: 'POST', template: PLAIN_PATHS.tasks, handle: createTask },
  { method: 'GET', template: PLAIN_PATHS.task, handle: getTask },
  { method: 'GET', template: PLAIN_PATHS.stream, handle: streamTask },
];
