/** Starting runs: `POST /api/runs` (never retried: it starts work), or a chat-style POST that streams at once. */
import { DEFAULT_PATHS, endpointUrl, parseJson } from '../protocol/index.ts';
import { protocolViolation, TransportError } from '../transports/errors.ts';
import { request } from '../transports/http.ts';
import { connectRun, connectWith } from './connect.ts';
import type { CreateRunOptions, RunHandle, RunPaths, StartRunOptions } from './types.ts';

/** The run API's default endpoints: agentwire's plus the chat-style stream start. */
export const DEFAULT_RUN_PATHS: Readonly<RunPaths> = /* @__PURE__ */ Object.freeze({
  ...DEFAULT_PATHS,
  streamStart: `${DEFAULT_PATHS.runs}/stream`,
});

/**
 * Start a run with `POST /api/runs` and return its id. Sent once: a failure rejects with a
 * TransportError and is never retried, since the server may have started the work.
 */
export async function createRun(options: CreateRunOptions): Promise<string> {
  const paths = { ...DEFAULT_RUN_PATHS, ...options.paths };
  const response = await request({
    url: endpointUrl(options.baseUrl, paths.runs, ''),
    method: 'POST',
    headers: { ...options.headers },
    json: options.body ?? {},
    signal: options.signal,
  });
  const id = idInBody(await readBody(response)) ?? idInLocation(response.headers.get('Location'));
  if (id === undefined) {
    throw protocolViolation('the create answer names no run: no run_id (or task_id, id) in its JSON, no Location');
  }
  return id;
}

/** The answer's JSON, or undefined when it has no body (a 201 with only a Location). */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text.trim() === '') return undefined;
  const parsed = parseJson(text);
  if (!parsed.ok) throw protocolViolation(`the create answer: ${parsed.error.message}`, parsed.error);
  return parsed.value;
}

/** The run's id in a create answer: `run_id`, or a plain server's `task_id` / `id` (a number is taken as text). */
function idInBody(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  for (const key of ['run_id', 'task_id', 'runId', 'taskId', 'id']) {
    const value = (json as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

/** The last path segment of a `Location` header (`/api/tasks/t-1` → `t-1`). */
function idInLocation(location: string | null): string | undefined {
  if (!location) return undefined;
  try {
    const segment = new URL(location, 'http://location.invalid').pathname.split('/').filter(Boolean).at(-1);
    return segment === undefined ? undefined : decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Create a run and connect it. With `stream: true` (SSE only) a single POST to `streamStart` starts
 * the run and is read as its first event stream; if that stream is cut, the transport resumes by
 * GET with Last-Event-ID — the POST is never sent again.
 */
export async function startRun(options: StartRunOptions): Promise<RunHandle> {
  const { baseUrl, body, paths, headers, signal, stream, ...connect } = options;
  const runPaths = { ...DEFAULT_RUN_PATHS, ...paths };
  const common = { baseUrl, ...(paths && { paths }), ...(headers && { headers }) };
  if (!stream) {
    const runId = await createRun({ ...common, ...(body && { body }), ...(signal && { signal }) });
    return connectRun({ ...connect, ...common, runId });
  }
  if ((connect.transport ?? 'sse') !== 'sse')
    throw new TransportError('rejected', 'a chat-style streaming start needs the sse transport');
  const response = await request({
    url: endpointUrl(baseUrl, runPaths.streamStart, ''),
    method: 'POST',
    headers: { Accept: 'text/event-stream', ...headers },
    json: body ?? {},
    signal,
  });
  const runId = response.headers.get('X-Run-Id');
  if (!runId) {
    void response.body?.cancel().catch(() => undefined);
    throw protocolViolation('the streaming start answer has no X-Run-Id header');
  }
  return connectWith({ ...connect, ...common, runId, transport: 'sse' }, response);
}
