/**
 * Starting runs: `POST /api/runs` (never retried: it starts work), a chat-style POST that streams
 * at once, or a stream protocol's own start (its request, answered with the run's first stream).
 */
import { DEFAULT_PATHS, endpointUrl } from '../protocol/index.ts';
import { loadProtocol } from '../protocols/registry.ts';
import type { StreamProtocol } from '../protocols/types.ts';
import { protocolViolation, TransportError } from '../transports/errors.ts';
import { readJson, request } from '../transports/http.ts';
import { connectRun, connectWith, openSession } from './connect.ts';
import { peekRunId } from './peek.ts';
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
  if (protocol.kind === 'stream') return startStreamRun(options, protocol);
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

/**
 * Start a run of a stream protocol: its session builds the start request (sent once), whose
 * answer is the run's first stream. A run whose id the stream gives (OpenAI's response id) is read
 * until a frame names it; those bytes are read again by the transport.
 */
async function startStreamRun(options: StartRunOptions, protocol: StreamProtocol): Promise<RunHandle> {
  const { body, signal, stream: _stream, ...connect } = options;
  const session = openSession(protocol, { ...options, runId: '' });
  const plan = session.start(body ?? {});
  let response = await request({
    url: plan.request.url,
    method: plan.request.method,
    headers: { ...plan.request.headers, ...options.headers },
    ...(plan.request.json !== undefined && { json: plan.request.json }),
    signal,
  });
  const type = response.headers.get('Content-Type') ?? '';
  if (!/^text\/event-stream\b/i.test(type) || !response.body) {
    void response.body?.cancel().catch(() => undefined);
    throw protocolViolation(`the ${protocol.name} start answered "${type}", not an event stream`);
  }
  let runId = plan.runId;
  if (runId === undefined) {
    if (!protocol.runIdOf) throw protocolViolation(`the ${protocol.name} protocol names no run id`);
    const runIdOf = protocol.runIdOf.bind(protocol);
    const peeked = await peekRunId(response, runIdOf, signal);
    response = peeked.response;
    runId = peeked.runId;
  }
  return connectWith({ ...connect, protocol, runId }, response, session);
}
