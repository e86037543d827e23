/**
 * `sse`: fetch-based event streams (GET, or the response of a chat-style POST start), framed by
 * createEventStreamDecoder with browser EventSource semantics; resumes with `Last-Event-ID` set to
 * the store's last applied seq. Commands go by POST. Unlike EventSource, it retries network errors
 * and 5xx with capped backoff and full jitter (EventSource gives up on any non-200 answer and retries
 * network errors at a fixed interval), fails on 4xx and on an answer that is not an event stream,
 * and reconnects a stream that stays silent past the heartbeat bound.
 */
import { decodeEventText } from '../protocol/index.ts';
import { runFinished, startAdapter } from './adapter.ts';
import { postCancel, postReply } from './commands.ts';
import { resolveContext, runUrl, type AdapterHooks, type TransportContext } from './context.ts';
import { protocolViolation, TransportError } from './errors.ts';
import { createEventStreamDecoder } from './event-stream-decoder.ts';
import { inFrame, request } from './http.ts';
import type { Attempt, ConnectionEnd } from './session.ts';
import type { Transport, TransportOptions } from './types.ts';

/** Which stream an SSE adapter reads: everything, or the token plane of the hybrid stack. */
export interface SseHooks extends AdapterHooks {
  endpoint?: 'stream' | 'tokens';
  /** Bound between the response headers and the first byte; past it the answer is taken as buffered. */
  firstByteTimeoutMs?: number;
  /**
   * Token plane: resolves once the control plane's connection loop has ended (it delivered the
   * run's `done`, or the transport stopped). A token stream that ended cleanly waits for the
   * run's end until then, instead of guessing with a timer (see `untilFinished`).
   */
  controlEnded?: Promise<void>;
}

/** Create the `sse` transport. */
export function createSseTransport(options: TransportOptions, hooks: SseHooks = {}): Transport {
  const context = resolveContext(options);
  const { sink } = context;
  let initial = options.initialResponse;
  const tokenPlane = hooks.endpoint === 'tokens';
  const plane = tokenPlane ? 'tokens' : 'stream';
  /** Chunks as text, for the wire tap only. */
  const chunkText = context.tap && new TextDecoder();
  /** This stream's `done` arrived: on the token plane the answer's text ended (the control plane owns the run). */
  let ended = false;
  const decode = context.decoder?.event ?? decodeEventText;
  const decoder = createEventStreamDecoder(({ type, data }) => {
    const result = decode(data, { eventName: type, runId: context.runId });
    if (result.ok && result.value.type === 'done') {
      ended = true;
      // A token plane's `done` ends the message, never the run.
      if (tokenPlane) return;
    }
    sink.decoded(result);
  });

  const connect = async (current: Attempt): Promise<ConnectionEnd> => {
    current.watch(
      context.openTimeoutMs,
      () => new TransportError('network', `no response within ${context.openTimeoutMs} ms`, { retryable: true }),
    );
    const response = initial ?? (await open(context, plane, decoder.lastEventId, current.signal));
    initial = undefined;
    if (response.status === 204) return 'finished';
    const type = response.headers.get('Content-Type') ?? '';
    if (!/^text\/event-stream\b/i.test(type) || !response.body) {
      void response.body?.cancel().catch(() => undefined);
      throw protocolViolation(`expected a text/event-stream body, got "${type}"`);
    }
    current.opened();
    const firstByteMs = hooks.firstByteTimeoutMs ?? context.heartbeatTimeoutMs;
    current.watch(
      firstByteMs,
      () =>
        new TransportError('buffered', `headers but no byte within ${firstByteMs} ms: a buffering proxy?`, {
          retryable: true,
        }),
    );
    const reader = response.body.getReader();
    const cancel = (): void => void reader.cancel().catch(() => undefined);
    current.signal.addEventListener('abort', cancel, { once: true });
    let first = true;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (current.signal.aborted) throw current.signal.reason;
        if (done) break;
        if (first) {
          first = false;
          current.live();
          current.watch(
            context.heartbeatTimeoutMs,
            () =>
              new TransportError('heartbeat_timeout', `nothing heard for ${context.heartbeatTimeoutMs} ms`, {
                retryable: true,
              }),
          );
        }
        current.activity();
        const tap = chunkText && context.tap;
        if (tap) tap(inFrame(plane, chunkText.decode(value, { stream: true }), response.status, value.byteLength));
        decoder.push(value);
        if (ended) {
          // The run (or, on the token plane, the answer) ended: this client closes the stream.
          sink.flush();
          if (tokenPlane || runFinished(context)) break;
        }
      }
    } finally {
      current.signal.removeEventListener('abort', cancel);
      cancel();
      decoder.end();
      sink.flush();
    }
    if (tokenPlane) {
      // The answer's text ended, or a plain token stream (no ids to resume from: a reconnect would
      // replay it from the start) closed: the control plane carries the rest of the run.
      if (ended || sink.cursor.sequenced === false) return 'finished';
      // The token plane ends when the run does; its `done` comes on the control plane, maybe a moment later.
      if (!runFinished(context)) await untilFinished(context, current.signal, hooks.controlEnded);
    }
    return runFinished(context) ? 'finished' : 'closed';
  };

  const session = startAdapter(context, hooks, {
    name: 'sse',
    plane,
    connect,
    serverRetryMs: () => decoder.retry,
    resume: (running) => running.reconnect(),
  });
  context.signal.addEventListener('abort', () => void initial?.body?.cancel().catch(() => undefined), { once: true });

  return {
    name: 'sse',
    reply: (answer) => postReply(context, answer),
    cancel: () => postCancel(context),
    reconnect: () => session.reconnect(),
  };
}

/**
 * After a clean end of the token stream: wait for the run's end to reach the store, or for the
 * control plane to end (having delivered `done`: if the store still lacks it, tokens are missing
 * and the caller reconnects for them). Event-driven: a slow but healthy control plane is waited
 * for. The heartbeat bound (no healthy connection is silent that long) only covers a token
 * stream closed early by something between client and server while the run goes on.
 */
async function untilFinished(
  context: TransportContext,
  signal: AbortSignal,
  controlEnded?: Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const stopAll = (): void => stop.abort();
  signal.addEventListener('abort', stopAll, { once: true });
  const timer = context.clock.setTimeout(stopAll, context.heartbeatTimeoutMs);
  void controlEnded?.then(stopAll);
  await context.sink.finished(stop.signal);
  context.clock.clearTimeout(timer);
  signal.removeEventListener('abort', stopAll);
}

/** GET the stream, resuming after the cursor's last seq (unsequenced: after the stream's own last event id). */
function open(
  context: TransportContext,
  endpoint: 'stream' | 'tokens',
  lastEventId: string,
  signal: AbortSignal,
): Promise<Response> {
  const cursor = context.sink.cursor;
  const resumeId = cursor.sequenced === false ? lastEventId : cursor.lastSeq > 0 ? String(cursor.lastSeq) : '';
  return request({
    url: runUrl(context, endpoint, context.query),
    headers: {
      Accept: 'text/event-stream',
      ...context.headers,
      ...(resumeId !== '' && { 'Last-Event-ID': resumeId }),
    },
    signal,
    tap: { tap: context.tap, plane: endpoint },
  });
}
