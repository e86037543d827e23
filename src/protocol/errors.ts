/** Machine-readable reasons a piece of wire input was refused. */
export type ProtocolErrorCode =
  | 'malformed_json'
  | 'not_an_object'
  | 'missing_type'
  | 'invalid_field'
  | 'oversized'
  | 'bad_command'
  /** The server answered with an error object (`{"error": …}`, even with a 200) where a body was expected. */
  | 'server_error'
  /** The event breaks its protocol's ordering rules (content for a message that was never started, a second start). */
  | 'out_of_order';

/**
 * Why a transport or a command failed (the `code` of a `TransportError`). Listed here, beside the
 * decoder's codes, so the store can keep either error with its code union intact.
 */
export type TransportErrorCode =
  /** The server answered with a non-2xx HTTP status (or an equivalent WebSocket close code). */
  | 'http_status'
  /** The request or connection failed below HTTP (offline, refused, reset, DNS, timeout). */
  | 'network'
  /** The server broke the protocol (wrong content type, undecodable body, bad close code). */
  | 'protocol'
  /** An open connection stayed silent past the heartbeat bound. */
  | 'heartbeat_timeout'
  /** An SSE response sent headers but no byte within the bound: a buffering proxy. */
  | 'buffered'
  /** A command could not be delivered (no open connection, or it closed before confirmation). */
  | 'not_delivered'
  /** The server refused a command (e.g. a stale resume token). */
  | 'rejected'
  /** The connection was closed by this client. */
  | 'closed'
  /** The stream was cut and its protocol (or server) cannot pick it up again. */
  | 'cannot_resume';

/** Every code an error raised on the client carries: a decoder's or a transport's. */
export type ClientErrorCode = ProtocolErrorCode | TransportErrorCode;

/** Untrusted wire input could not be decoded. Returned (never thrown) by every decoder. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  /** Why the input was refused. */
  readonly code: ProtocolErrorCode;
  /** The offending field, when one is to blame. */
  readonly field: string | undefined;
  /** A bounded excerpt of the input, for display and debugging. */
  readonly excerpt: string | undefined;

  constructor(code: ProtocolErrorCode, message: string, options: { field?: string; excerpt?: string } = {}) {
    super(message);
    this.code = code;
    this.field = options.field;
    this.excerpt = options.excerpt;
  }
}

/** Outcome of a decoder: a typed value or a typed error, never an exception. */
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

/** Longest excerpt of bad input kept on a ProtocolError. */
export const MAX_ERROR_EXCERPT = 200;

/** Cut untrusted text down to an excerpt safe to keep and show. */
export function excerptOf(text: string): string {
  return text.length > MAX_ERROR_EXCERPT ? `${text.slice(0, MAX_ERROR_EXCERPT)}…` : text;
}
