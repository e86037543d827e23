/**
 * The plain dialect (`/plain/…`): the common tutorial REST + SSE + WebSocket shapes, without seq
 * or run_id, served from the same runs through the kit's building blocks with encoders of their
 * own (plain-shapes.ts).
 */
import {
  HttpError,
  heartbeatOf,
  jsonReply,
  readJsonBody,
  readCommand,
  type Route,
  type SocketRoute,
  type StoredEvent,
} from '../src/server/index.ts';
import type { SequencedEvent } from '../src/protocol/index.ts';
import { parseCreateBody, type CreateRunOptions } from './create-options.ts';
import { DEFAULT_PLAIN_SCENARIO, PLAIN_SCENARIOS } from './limits.ts';
import { PLAIN_WS_HELLO, plainSseFrame, plainTask, plainWsError, plainWsMessage } from './plain-shapes.ts';
import { PLAIN_PATHS } from './routes.ts';

/** Starts a scenario run with a plain-style id (`t-1`, …); returns the id. */
export type PlainStarter = (options: CreateRunOptions) => Promise<string>;

const plainEvent = (record: StoredEvent): SequencedEvent => record.event as SequencedEvent;

/** The plain dialect's HTTP routes. */
export function plainRoutes(start: PlainStarter): Route[] {
  return [
    {
      method: 'POST',
      template: PLAIN_PATHS.tasks,
      async handle({ request, server }) {
        const options = parseCreateBody(await readJsonBody(request, server.limits.maxBodyBytes), {
          defaultScenario: DEFAULT_PLAIN_SCENARIO,
          scenarios: PLAIN_SCENARIOS,
        });
        return jsonReply(201, { task_id: await start(options) });
      },
    },
    {
      method: 'GET',
      template: PLAIN_PATHS.task,
      async handle({ request, id, server }) {
        const info = await server.requireRun(id);
        const plan = server.planConnection(request, 'plain-task');
        await server.openConnection(request, info.runId, plan);
        const snapshot = await server.runs.snapshot(info.runId);
        if (!snapshot) throw new HttpError(404, 'run_not_found', `no run with id ${id}`);
        return jsonReply(200, plainTask(snapshot));
      },
    },
    {
      method: 'GET',
      template: PLAIN_PATHS.stream,
      async handle({ request, id, server }) {
        const info = await server.requireRun(id);
        const heartbeatMs = heartbeatOf(request.url.searchParams, server.heartbeatMs);
        const plan = server.planConnection(request, 'plain-stream');
        const shape = await server.openConnection(request, info.runId, plan);
        return server.sse(request, {
          runId: info.runId,
          after: 0,
          heartbeatMs,
          shape,
          encode: (record) => plainSseFrame(plainEvent(record), info.runId),
        });
      },
    },
  ];
}

/** The plain dialect's WebSocket: a hello, the run's events in plain shapes, `user_reply` / `cancel` / `ping` in. */
export const plainSocket: SocketRoute = {
  template: PLAIN_PATHS.socket,
  async upgrade({ request, id, server }) {
    let runId: string;
    try {
      runId = (await server.requireRun(id)).runId;
    } catch (error) {
      if (error instanceof HttpError && error.status === 404)
        return { kind: 'close', code: 4404, reason: 'run not found' };
      throw error;
    }
    const plan = server.planConnection(request, 'plain-ws');
    const shape = await server.openConnection(request, runId, plan);
    return {
      kind: 'accept',
      open(socket) {
        // The hello goes out before any event.
        socket.send(PLAIN_WS_HELLO);
        const sink = server.socketFeed(socket, {
          runId,
          after: 0,
          shape,
          encode: (record) => plainWsMessage(plainEvent(record)),
        });
        const log = server.runs.log;
        socket.onMessage((text) => {
          const command = readCommand(text);
          if (!command.ok) {
            sink.send(plainWsError(command.error.code, command.error.message));
            return;
          }
          const value = command.value;
          if (value.type === 'ping') {
            sink.send(JSON.stringify({ type: 'pong' }));
            return;
          }
          if (value.type !== 'user_reply' && value.type !== 'cancel') return;
          const outcome = value.type === 'cancel' ? log.cancel(runId) : log.answer(runId, value);
          outcome.then(
            (result) => {
              if (value.type === 'user_reply') server.onReply?.(runId, value, result);
              if (!result.ok) sink.send(plainWsError(result.error.code, result.error.message));
            },
            (error: unknown) => {
              server.reportError(error, request);
              sink.send(plainWsError('unavailable', 'the run log is unavailable'));
            },
          );
        });
      },
    };
  },
};
