/** The mock server's own paths, beside the kit's (SERVER_PATHS): the scenario list and the plain dialect. */

/** `GET` lists the scenarios. */
export const SCENARIOS_PATH = '/api/scenarios';

/** Endpoints of the plain (tutorial-style) dialect. */
export const PLAIN_PATHS = Object.freeze({
  /** `POST {scenario?}` → `{task_id}`. */
  tasks: '/plain/tasks',
  /** `GET` → `{task_id, status, progress, result}`. */
  task: '/plain/tasks/{id}',
  /** SSE without ids, event name = type. */
  stream: '/plain/tasks/{id}/stream',
  /** WebSocket with plain JSON messages. */
  socket: '/plain/ws/agent/{id}',
});

/** Path prefixes the mock server answers for itself (JSON 404/405/426); everything else goes to `next()`. */
export const OWNED_PREFIXES: readonly string[] = ['/api/', '/ws/', '/plain/'];
