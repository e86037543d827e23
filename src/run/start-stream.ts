/**
 * Starting a run of a stream protocol (AG-UI, AI SDK, OpenAI Responses): its session builds the
 * start request, sent once, whose answer is the run's first stream. Loaded by `startRun` only
 * when a stream protocol is used.
 */
import type { StreamProtocol } from '../protocols/types.ts';
import { protocolViolation } from '../transports/errors.ts';
import { request } from '../transports/http.ts';
import { createStreamTransport } from '../transports/stream.ts';
import { connectWith, openSession } from './connect.ts';
import { peekRunId } from './peek.ts';
import type { RunHandle, StartRunOptions } from './types.ts';

/**
 * Start a run of a stream protocol: its session builds the start request (sent once), whose
 * answer is the run's first stream. A run whose id the stream gives (OpenAI's response id) is read
 * until a frame names it; those bytes are read again by the transport.
 */
export async function startStreamRun(options: StartRunOptions, protocol: StreamProtocol): Promise<RunHandle> {
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
    const peeked = await peekRunId(response, protocol.runIdOf, signal);
    response = peeked.response;
    runId = peeked.runId;
  }
  return connectWith({ ...connect, protocol, runId }, response, session, createStreamTransport);
}
