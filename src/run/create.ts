/**
 * Starting runs: `POST /api/runs` (never retried: it starts work), a chat-style POST that streams
 * at once, or a stream protocol's own start (its request, answered with the run's first stream).
 */
import { DEFAULT_PATHS, endpointUrl } from '../protocol/index.ts';
import { loadProtocol } from '../protocols/registry.ts';
import { protocolViolation, TransportError } from '../transports/errors.ts';
import { readJson, request } from '../transports/http.ts';
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
  const json = await readJson(response);
  const id =
    typeof json === 'object' && json !== null
      ? ((json as { run_id?: unknown }).run_id ?? (json as { task_id?: unknown }).task_id)
      : undefined;
  if (typeof id !== 'string' || id === '') throw protocolViolation('the create answer has no run_id');
  return id;
}

/**
 * Create a run and connect it. With `stream: true` (SSE only) a single POST to `streamStart` starts
 * the run and is read as its first event stream; if that stream is cut, the transport resumes by
 * GET with Last-Event-ID — the POST is never sent again.
 */
export async function startRun(options: StartRunOptions): Promise<RunHandle> {
  const protocol = await loadProtocol(options.protocol ?? 'agentwire');
  // Stream protocols' start (and their transport) are loaded only when one is used.
  if (protocol.kind === 'stream') return (await import('./start-stream.ts')).startStreamRun(options, protocol);
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
