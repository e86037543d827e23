/**
 * `websocket`: JSON messages both ways on one socket, resumed with `?after=<seq>` on every
 * (re)connect and with a `resume {after_seq}` command when a seq is missing. Liveness is an
 * application ping/pong (browsers cannot send ping frames): a ping goes out on open, and once the
 * server has answered one it is pinged every third of the heartbeat bound and a socket silent for
 * the whole bound is reconnected; a server that never answers pings is not held to the bound (only
 * its close frame ends the connection). When the run ends this client closes the socket. A reply
 * is sent once: it is confirmed by
 * the sequenced `input_accepted`, refused by a `command_error`, or — when the socket closes first —
 * reported as not delivered. Nothing is queued while offline and nothing is replayed.
 */
import {
  decodeServerMessage,
  encodeWsMessage,
  MAX_WS_MESSAGE_BYTES,
  toWebSocketUrl,
  type ClientCommand,
} from '../protocol/index.ts';
import { runFinished, startAdapter } from './adapter.ts';
import { replyBody } from './commands.ts';
import { resolveContext, runUrl, type AdapterHooks } from './context.ts';
import { closeError, protocolViolation, toTransportError, TransportError } from './errors.ts';
import { failsFast, type Attempt, type ConnectionEnd } from './session.ts';
import { inFrame } from './http.ts';
import { tapAck, utf8Bytes } from './tap.ts';
import { MAX_TIMER_MS } from './timers.ts';
import type { ReplyAck, Transport, TransportOptions } from './types.ts';

/** Which events a socket carries: everything, or the hybrid control plane (everything but tokens). */
export interface WebSocketHooks extends AdapterHooks {
  /**
   * `control` (hybrid): the socket carries every event but tokens, which come on another plane
   * into the same ordered sink. Such a socket is finished once it delivered the run's `done`,
   * even while the sink still holds that `done` for tokens the other plane has yet to bring:
   * the missing events are that plane's to deliver (or the sink's to rebuild), and reconnecting
   * the control plane would only replay what it already sent.
   */
  plane?: 'all' | 'control';
}

/** An `auto` candidate whose first messages all fail to decode this many times speaks something else: next. */
const MAX_UNDECODABLE_AT_START = 3;

/** A reply sent on the socket, waiting for the server's acknowledgement. */
interface PendingReply {
  resolve(ack: ReplyAck): void;
  reject(error: TransportError): void;
}

/** Create the `websocket` transport. */
export function createWebSocketTransport(options: TransportOptions, hooks: WebSocketHooks = {}): Transport {
  const context = resolveContext(options);
  const { sink, clock } = context;
  const pending = new Map<string, PendingReply>();
  let socket: WebSocket | null = null;
  /** Whether the server answers application pings: null until it does (then true, for this transport's life). */
  let answersPings: boolean | null = null;
  const { tap } = context;
  const plane = hooks.plane === 'control' ? 'control' : 'socket';
  /** With a tap: the transport, its commands reporting what became of them. */
  const acked = (transport: Transport): Transport =>
    tap
      ? {
          ...transport,
          reply: (answer) => tapAck(tap, plane, 'user_reply', transport.reply(answer)),
          cancel: () => tapAck(tap, plane, 'cancel', transport.cancel()),
        }
      : transport;

  /** Send a message on the open socket; false when there is none. */
  const sendText = (message: string): boolean => {
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(message);
    tap?.({ kind: 'frame', plane, direction: 'out', bytes: utf8Bytes(message), text: message });
    return true;
  };
  const send = (command: ClientCommand): boolean => sendText(encodeWsMessage(command));

  const settle = (token: string, error: TransportError | null): void => {
    const entry = pending.get(token);
    if (!entry) return;
    pending.delete(token);
    if (error) entry.reject(error);
    else entry.resolve('accepted');
  };

  const connect = (attempt: Attempt): Promise<ConnectionEnd> =>
    new Promise<ConnectionEnd>((resolve, reject) => {
      const url = toWebSocketUrl(
        runUrl(context, 'socket', {
          ...context.query,
          after: sink.cursor.lastSeq > 0 ? sink.cursor.lastSeq : undefined,
          plane: hooks.plane === 'control' ? 'control' : undefined,
        }),
      );
      let ws: WebSocket;
      tap?.({ kind: 'request', plane, method: 'WS', url: url.href, bytes: 0 });
      try {
        ws = new WebSocket(url);
      } catch (error) {
        reject(
          protocolViolation(
            `cannot open ${url.href}: ${error instanceof Error ? error.message : String(error)}`,
            error,
          ),
        );
        return;
      }
      let opened = false;
      /** This socket delivered the run's `done` (it may still be held in a shared sink, see onclose). */
      let deliveredEnd = false;
      /** Messages that decoded, and that did not (an `auto` candidate gives up on a socket that speaks something else). */
      let decodedCount = 0;
      let undecodable = 0;
      let pinger: unknown = null;
      attempt.watch(
        context.openTimeoutMs,
        () =>
          new TransportError('network', `no WebSocket handshake within ${context.openTimeoutMs} ms`, {
            retryable: true,
          }),
      );

      const holdToHeartbeat = (): void =>
        attempt.watch(
          context.heartbeatTimeoutMs,
          () =>
            new TransportError('heartbeat_timeout', `no message or pong for ${context.heartbeatTimeoutMs} ms`, {
              retryable: true,
            }),
        );
      /** The next ping, a third of the bound from now (none when the heartbeat is off). */
      const schedulePing = (): unknown => {
        const every = Math.max(1, Math.floor(context.heartbeatTimeoutMs / 3));
        return every <= MAX_TIMER_MS ? clock.setTimeout(ping, every) : null;
      };
      const ping = (): void => {
        send({ type: 'ping', id: String(clock.now()) });
        // Only a server that answered a ping is pinged again: every third of the bound, so a live
        // one is never silent for the whole of it.
        if (answersPings === true) pinger = schedulePing();
      };
      const detach = (): void => {
        ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
        if (pinger !== null) clock.clearTimeout(pinger);
        attempt.signal.removeEventListener('abort', abort);
        if (socket === ws) socket = null;
        sink.flush();
        const lost = new TransportError(
          'not_delivered',
          'the connection closed before the server confirmed the reply',
          {
            retryable: true,
          },
        );
        for (const token of [...pending.keys()]) settle(token, lost);
      };
      const abort = (): void => {
        detach();
        ws.close(1000);
        reject(toTransportError(attempt.signal.reason));
      };
      attempt.signal.addEventListener('abort', abort, { once: true });
      /** The run ended: this client closes the socket (a server may keep it open, and would restart on a reconnect). */
      const finish = (): void => {
        detach();
        ws.close(1000);
        resolve('finished');
      };
      /** The server answers pings: from now on silence past the bound means a dead connection. */
      const answersPing = (): void => {
        if (answersPings === true && pinger !== null) return;
        answersPings = true;
        holdToHeartbeat();
        pinger ??= schedulePing();
      };
      const heard = (): void => {
        if (decodedCount++ === 0) attempt.live();
      };

      const onMessage = (data: unknown): void => {
        attempt.activity();
        if (tap) {
          const bytes =
            typeof data === 'string' ? undefined : data instanceof Blob ? data.size : (data as ArrayBuffer).byteLength;
          tap(inFrame(plane, typeof data === 'string' ? data : '(binary)', undefined, bytes));
        }
        if (typeof data !== 'string') {
          sink.error(protocolViolation('binary WebSocket message ignored: the protocol is JSON text'));
          return;
        }
        const decoded = (context.decoder?.serverMessage ?? decodeServerMessage)(data, { runId: context.runId });
        if (!decoded.ok) {
          sink.error(decoded.error);
          if (failsFast(hooks.failFast) && decodedCount === 0 && ++undecodable >= MAX_UNDECODABLE_AT_START) {
            detach();
            ws.close(1000);
            reject(protocolViolation(`the first ${undecodable} messages of ${url.pathname} did not decode`));
          }
          return;
        }
        heard();
        const message = decoded.value;
        if (message.type === 'pong') {
          answersPing();
          return;
        }
        if (message.type === 'command_error') {
          const error = new TransportError('rejected', `${message.command ?? 'command'} refused: ${message.message}`, {
            status: message.status,
            serverCode: message.code,
          });
          if (message.resume_token !== undefined && pending.has(message.resume_token))
            settle(message.resume_token, error);
          else sink.error(error);
          return;
        }
        // A server that numbers its events speaks agentwire, whose servers answer pings.
        if (message.seq !== undefined) answersPing();
        sink.event(message);
        if (message.type === 'input_accepted') {
          sink.flush();
          settle(message.resume_token, null);
        }
        if (message.type === 'done') {
          deliveredEnd = true;
          sink.flush();
          if (runFinished(context) || hooks.plane === 'control') finish();
        }
      };

      ws.onopen = () => {
        opened = true;
        socket = ws;
        attempt.opened();
        // Until the server answered a ping, silence is not death (a human may be thinking, and many
        // servers never answer application pings): only the close frame ends the connection.
        if (answersPings === true) holdToHeartbeat();
        else attempt.unwatch();
        ping();
      };
      ws.onmessage = (message) => onMessage(message.data);
      ws.onclose = (event) => {
        detach();
        if (!opened) {
          reject(
            new TransportError('network', `the WebSocket could not open (close ${event.code})`, { retryable: true }),
          );
          return;
        }
        const error = closeError(event.code, event.reason);
        if (error) reject(error);
        else resolve(runFinished(context) || (deliveredEnd && hooks.plane === 'control') ? 'finished' : 'closed');
      };
    });

  const session = startAdapter(context, hooks, {
    name: 'websocket',
    plane,
    connect,
    resume: () => send({ type: 'resume', after_seq: sink.cursor.lastSeq }),
  });

  const transport: Transport = {
    name: 'websocket',
    reply: (answer) => {
      const token = answer.request.resume_token;
      if (pending.has(token))
        return Promise.reject(new TransportError('rejected', 'this reply is already waiting for confirmation'));
      // A request the server gave no resume_token is answered without one (see `replyBody`).
      const message = JSON.stringify({ type: 'user_reply', ...replyBody(answer) });
      const bytes = new TextEncoder().encode(message).length;
      if (bytes > MAX_WS_MESSAGE_BYTES) {
        // Sending it would make the server close the socket with 1009.
        return Promise.reject(
          new TransportError(
            'rejected',
            `the reply is ${bytes} bytes; a message may be at most ${MAX_WS_MESSAGE_BYTES}`,
            {
              status: 413,
            },
          ),
        );
      }
      if (!sendText(message)) {
        return Promise.reject(
          new TransportError('not_delivered', 'not connected: the reply was not sent', { retryable: true }),
        );
      }
      // A plain server sends no input_accepted: the reply is delivered, never confirmed.
      if (sink.cursor.sequenced === false || answer.request.local_token === true) return Promise.resolve('delivered');
      return new Promise<ReplyAck>((resolve, reject) => pending.set(token, { resolve, reject }));
    },
    cancel: () =>
      send({ type: 'cancel' })
        ? Promise.resolve()
        : Promise.reject(
            new TransportError('not_delivered', 'not connected: cancel was not sent', { retryable: true }),
          ),
    reconnect: () => session.reconnect(),
  };
  return acked(transport);
}
