/**
 * The transport of stream protocols (AG-UI, the AI SDK UI message stream, OpenAI Responses): HTTP
 * requests the protocol's session describes, each answered with an event stream read here and
 * decoded by the session into the run's ordered sink. The session says what to open next: the
 * start (a response `startRun` already holds), a continuation carrying answers, a resume after a
 * cut (with the shared backoff and full jitter), nothing while the run waits for an answer — or
 * that a cut stream cannot be resumed, which ends the connection with a visible `cannot_resume`.
 * A POST that starts work or carries answers is sent once and never retried.
 */
import type { StreamOrigin, StreamSession } from '../protocols/types.ts';
import { startAdapter } from './adapter.ts';
import { resolveContext, type AdapterHooks } from './context.ts';
import { protocolViolation, toTransportError, TransportError } from './errors.ts';
import { createEventStreamDecoder } from './event-stream-decoder.ts';
import { inFrame, request, type RequestSpec } from './http.ts';
import type { Attempt, ConnectionEnd } from './session.ts';
import type { RunEvent } from '../protocol/index.ts';
import type { ProtocolRequest } from '../protocols/types.ts';
import type { ReplyAck, Transport, TransportOptions } from './types.ts';

/** Options of the stream transport: a transport's, plus the run's protocol session. */
export interface StreamTransportOptions extends TransportOptions {
  /** The run's session (it outlives the transport: a reconnect goes on where it stood). */
  session: StreamSession;
}

/** The HTTP request of a protocol's plan, with the caller's headers. */
function specOf(
  planned: ProtocolRequest,
  headers: Record<string, string>,
  tap: RequestSpec['tap'],
  signal?: AbortSignal,
): RequestSpec {
  return {
    url: planned.url,
    method: planned.method,
    headers: { ...planned.headers, ...headers },
    ...(planned.json !== undefined && { json: planned.json }),
    signal,
    tap,
  };
}

/** A 4xx to a request carrying answers or a stop is the server refusing it. */
function refusal(error: unknown): TransportError {
  const typed = toTransportError(error);
  if (typed.code !== 'http_status' || typed.status === undefined || typed.status >= 500) return typed;
  return new TransportError('rejected', typed.message, {
    status: typed.status,
    ...(typed.serverCode !== undefined && { serverCode: typed.serverCode }),
    cause: typed,
  });
}

/** Create the transport of a stream protocol. */
export function createStreamTransport(options: StreamTransportOptions, hooks: AdapterHooks = {}): Transport {
  const context = resolveContext(options);
  const { sink, session } = { sink: context.sink, session: options.session };
  let initial: Response | undefined = options.initialResponse;
  /** A continuation answered by the server, waiting to be read. */
  let queued: Response | null = null;
  let wake: (() => void) | null = null;
  /** Aborts the body being read (cancel). */
  let reading: AbortController | null = null;
  /** The reconnect loop is running (it ends when the run finished, or on a failure). */
  let looping = true;
  /** Chunks as text, for the wire tap only. */
  const chunkText = context.tap && new TextDecoder();

  const decoder = createEventStreamDecoder(({ type, data }) => {
    for (const result of session.frame({ event: type, data })) sink.decoded(result);
  });

  const emit = (events: readonly RunEvent[]): void => {
    for (const event of events) sink.event(event);
    sink.flush();
  };

  const waitForStream = (signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = (): void => {
        wake = null;
        signal.removeEventListener('abort', stop);
        resolve();
      };
      const stop = (): void => {
        wake = null;
        reject(toTransportError(signal.reason));
      };
      if (signal.aborted) {
        stop();
        return;
      }
      wake = done;
      signal.addEventListener('abort', stop, { once: true });
    });

  /** Read one event-stream body into the session; a body that ends before the protocol's end throws (a cut). */
  const read = async (attempt: Attempt, response: Response, origin: StreamOrigin): Promise<void> => {
    const type = response.headers.get('Content-Type') ?? '';
    if (!/^text\/event-stream\b/i.test(type) || !response.body) {
      void response.body?.cancel().catch(() => undefined);
      throw protocolViolation(`expected a text/event-stream body, got "${type}"`);
    }
    session.open(origin);
    attempt.opened();
    attempt.live();
    attempt.watch(
      context.heartbeatTimeoutMs,
      () =>
        new TransportError('heartbeat_timeout', `nothing heard for ${context.heartbeatTimeoutMs} ms`, {
          retryable: true,
        }),
    );
    const own = new AbortController();
    reading = own;
    const reader = response.body.getReader();
    const cancel = (): void => void reader.cancel().catch(() => undefined);
    attempt.signal.addEventListener('abort', cancel, { once: true });
    own.signal.addEventListener('abort', cancel, { once: true });
    let broke = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (attempt.signal.aborted) throw attempt.signal.reason;
        if (done || own.signal.aborted) break;
        attempt.activity();
        const tap = chunkText && context.tap;
        if (tap) tap(inFrame('stream', chunkText.decode(value, { stream: true }), response.status, value.byteLength));
        decoder.push(value);
      }
    } catch (error) {
      broke = true;
      throw error;
    } finally {
      attempt.signal.removeEventListener('abort', cancel);
      if (reading === own) reading = null;
      decoder.end();
      sink.flush();
      const complete = session.close(broke ? 'error' : 'end');
      if (!broke && !complete && !own.signal.aborted)
        // eslint-disable-next-line no-unsafe-finally -- the clean end of a body that was cut short is the failure reported
        throw new TransportError('network', 'the stream ended before its protocol said it was over', {
          retryable: true,
        });
    }
  };

  const connect = async (attempt: Attempt): Promise<ConnectionEnd> => {
    for (;;) {
      let response: Response;
      let origin: StreamOrigin;
      if (initial) {
        response = initial;
        initial = undefined;
        origin = 'start';
      } else if (queued) {
        response = queued;
        queued = null;
        origin = 'continue';
      } else {
        const step = session.next();
        if (step.type === 'finished') return 'finished';
        if (step.type === 'cannot_resume') {
          const error = new TransportError('cannot_resume', step.message, { retryable: false });
          sink.error(error);
          throw error;
        }
        if (step.type === 'wait') {
          attempt.unwatch();
          await waitForStream(attempt.signal);
          continue;
        }
        attempt.watch(
          context.openTimeoutMs,
          () => new TransportError('network', `no response within ${context.openTimeoutMs} ms`, { retryable: true }),
        );
        try {
          response = await request(
            specOf(step.request, context.headers, { tap: context.tap, plane: 'stream' }, attempt.signal),
          );
        } catch (error) {
          if (!step.answers) throw error;
          session.unsent(step.answers);
          // Answers are never re-sent by a retry: a failed continuation fails the connection (reconnect() sends it again).
          const typed = toTransportError(error);
          throw new TransportError(typed.code, typed.message, { retryable: false, cause: typed });
        }
        if (step.answers) emit(session.answered(step.answers));
        origin = step.origin;
      }
      if (response.status === 204) {
        void response.body?.cancel().catch(() => undefined);
        emit(session.noStream());
        continue;
      }
      await read(attempt, response, origin);
    }
  };

  // The sink never waits for a gap here (the session numbers what it emits without one): no recovery is attached.
  const adapter = startAdapter(
    context,
    {
      ...hooks,
      recoveredByParent: true,
      onEnd(error, live) {
        looping = false;
        hooks.onEnd?.(error, live);
      },
    },
    {
      name: 'sse',
      plane: 'stream',
      connect,
      serverRetryMs: () => decoder.retry,
      resume: (running) => running.reconnect(),
    },
  );
  context.signal.addEventListener('abort', () => void initial?.body?.cancel().catch(() => undefined), { once: true });

  const restart = (): void => {
    looping = true;
    adapter.reconnect();
  };

  /** A stream is there to read: wake the waiting loop, or start it again if it had ended. */
  const deliver = (response: Response): void => {
    queued = response;
    if (wake) wake();
    else if (!looping) restart();
  };

  return {
    name: 'sse',
    async reply(answer): Promise<ReplyAck> {
      const plan = session.answer(answer);
      if (plan.type === 'refused') throw new TransportError('rejected', plan.message, { status: 409 });
      if (plan.type === 'held') {
        emit(plan.events);
        return 'accepted';
      }
      let response: Response;
      try {
        // An answer's response is the stream the run goes on in.
        response = await request(specOf(plan.request, context.headers, { tap: context.tap, plane: 'stream' }));
      } catch (error) {
        session.unsent(plan.answers);
        throw refusal(error);
      }
      emit(session.answered(plan.answers));
      deliver(response);
      return 'accepted';
    },
    async cancel() {
      const plan = session.cancel();
      if (plan.request) {
        const response = await request(
          specOf(plan.request, context.headers, { tap: context.tap, plane: 'command' }),
        ).catch((error: unknown) => {
          throw refusal(error);
        });
        void response.body?.cancel().catch(() => undefined);
      }
      emit(plan.confirm());
      reading?.abort();
      wake?.();
    },
    reconnect: restart,
  };
}
