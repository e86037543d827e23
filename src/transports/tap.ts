/**
 * The wire tap: one optional observer (`TransportOptions.tap`) told, synchronously, about what
 * crosses the wire — every request and socket opened, every raw chunk or message with its byte
 * count, per plane, what was sent back, acknowledgements, connection changes with their reason
 * and backoff — and (through the run's ordered sink) what became of every event. Transports call
 * it only when one is given: without a tap nothing is built or measured.
 */
import type { SinkTapEvent } from '../store/index.ts';
import type { ConnectionState } from '../store/index.ts';

/**
 * Where a frame travels: `stream` (SSE with every event), `tokens` (the hybrid token plane),
 * `socket` (a WebSocket with every event), `control` (the hybrid control plane), `poll` (events
 * pages and the poll transport's snapshots), `snapshot` (a rebuild), `command` (a REST command).
 */
export type WirePlane = 'stream' | 'tokens' | 'socket' | 'control' | 'poll' | 'snapshot' | 'command';

/** A request went out: an HTTP request, or a WebSocket opening (its upgrade request). */
export interface TapRequest {
  readonly kind: 'request';
  readonly plane: WirePlane;
  readonly method: 'GET' | 'POST' | 'WS';
  /** The URL requested (query included). */
  readonly url: string;
  /** Bytes of the request body (0 for GET and WebSocket). */
  readonly bytes: number;
}

/** Raw bytes as received (an SSE chunk, a WebSocket message, a JSON body) or sent (a WebSocket message). */
export interface TapFrame {
  readonly kind: 'frame';
  readonly plane: WirePlane;
  readonly direction: 'in' | 'out';
  /** UTF-8 bytes of the payload (HTTP bodies and WebSocket payloads; headers and framing are not visible to a page). */
  readonly bytes: number;
  /** The payload as text. */
  readonly text: string;
  /** The HTTP status of the response this body belongs to (HTTP only). */
  readonly status?: number;
}

/** A connection changed: its status, attempt, the error that ended it, and the backoff before the next try. */
export interface TapConnection {
  readonly kind: 'connection';
  /** The transport whose reconnect loop reported it (`sse`, `websocket`, `poll`). */
  readonly transport: string;
  readonly plane: WirePlane;
  readonly status: ConnectionState['status'];
  readonly attempt: number;
  /** Why the previous connection ended (or why this one failed). */
  readonly error?: { readonly code: string; readonly message: string };
  /** The wait before the next attempt, ms (set with `reconnecting` after a failure). */
  readonly delayMs?: number;
}

/** What became of a command: the server's acknowledgement, or the error. */
export interface TapAck {
  readonly kind: 'ack';
  readonly plane: WirePlane;
  readonly command: 'user_reply' | 'cancel';
  readonly outcome: 'accepted' | 'delivered' | 'rejected' | 'not_delivered' | 'failed';
  readonly detail?: string;
}

/** Everything a tap is told. */
export type TapEvent = TapRequest | TapFrame | TapConnection | TapAck | SinkTapEvent;

/** An observer of the wire; see the module comment. */
export type WireTap = (event: TapEvent) => void;

const encoder = /* @__PURE__ */ new TextEncoder();

/** UTF-8 byte length of a string. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** Tell `tap` what became of a command sent on `plane`; returns the promise as it is. */
export function tapAck<T>(tap: WireTap, plane: WirePlane, command: TapAck['command'], sent: Promise<T>): Promise<T> {
  sent.then(
    (ack) => tap({ kind: 'ack', plane, command, outcome: ack === 'delivered' ? 'delivered' : 'accepted' }),
    (error: unknown) => {
      const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
      const outcome = code === 'rejected' || code === 'not_delivered' ? code : 'failed';
      tap({ kind: 'ack', plane, command, outcome, detail: error instanceof Error ? error.message : String(error) });
    },
  );
  return sent;
}
