/** Machine-readable reasons a piece of wire input was refused. */
export type ProtocolErrorCode =
  'malformed_json' | 'not_an_object' | 'missing_type' | 'invalid_field' | 'oversized' | 'bad_command';

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
