/** Typed transport errors, and the one place that decides which failures are worth a retry. */
import type { ApiErrorBody, TransportErrorCode } from '../protocol/index.ts';
import type { TypedError } from '../store/index.ts';

export type { TransportErrorCode } from '../protocol/index.ts';

/** Options of a TransportError. */
export interface TransportErrorOptions {
  /** HTTP status, or the status a WebSocket close code stands for. */
  status?: number;
  /** Whether trying again may succeed. */
  retryable?: boolean;
  /** The server's own error code (`{error:{code}}` or a `command_error` code). */
  serverCode?: string;
  /** Minimum wait before retrying that the server asked for (Retry-After), ms. */
  retryAfterMs?: number;
  /** The underlying error. */
  cause?: unknown;
}

/** An error raised by a transport or a command: typed, with a status and retryability where relevant. */
export class TransportError extends Error implements TypedError {
  override readonly name = 'TransportError';
  /** Machine-readable reason. */
  readonly code: TransportErrorCode;
  /** HTTP status (or the status a WebSocket close code stands for). */
  readonly status: number | undefined;
  /** Whether a retry may succeed (network errors, 5xx, 408, 429, timeouts). */
  readonly retryable: boolean;
  /** The server's own error code, when it sent one. */
  readonly serverCode: string | undefined;
  /** Minimum wait the server asked for before a retry, ms. */
  readonly retryAfterMs: number | undefined;

  constructor(code: TransportErrorCode, message: string, options: TransportErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.serverCode = options.serverCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** True for HTTP statuses worth retrying: 5xx, 408 Request Timeout and 429 Too Many Requests. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** The error for a non-2xx answer; `body` is the server's `{error:{code,message}}` when it sent one. */
export function statusError(status: number, body?: unknown, retryAfter?: string | null): TransportError {
  const apiError = isApiErrorBody(body) ? body.error : undefined;
  const seconds = retryAfter ? Number(retryAfter) : Number.NaN;
  return new TransportError('http_status', `HTTP ${status}${apiError ? `: ${apiError.message}` : ''}`, {
    status,
    retryable: isRetryableStatus(status),
    ...(apiError && { serverCode: apiError.code }),
    ...(Number.isFinite(seconds) && seconds >= 0 && { retryAfterMs: seconds * 1000 }),
  });
}

/** The error for a request that failed below HTTP. Always retryable. */
export function networkError(cause: unknown, what = 'request'): TransportError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new TransportError('network', `${what} failed: ${detail}`, { retryable: true, cause });
}

/** The error for a server that broke the protocol. Never retryable: the same server will do it again. */
export function protocolViolation(message: string, cause?: unknown): TransportError {
  return new TransportError('protocol', message, { retryable: false, cause });
}

/**
 * Classify a WebSocket close. 1000 is a normal end (null); 1001/1005/1006/1011-1014 are retryable;
 * 1002/1003/1007-1010 are protocol violations; 4400-4499 stand for HTTP 4xx, other 4xxx are retryable.
 */
export function closeError(code: number, reason: string): TransportError | null {
  if (code === 1000) return null;
  const detail = `WebSocket closed with ${code}${reason ? ` (${reason})` : ''}`;
  if (code >= 4400 && code <= 4499)
    return new TransportError('http_status', detail, {
      status: code - 4000,
      retryable: false,
      ...(code === 4410 && { serverCode: 'events_trimmed' }),
    });
  if (code >= 4500 && code <= 4599)
    return new TransportError('http_status', detail, { status: code - 4000, retryable: true });
  if ((code >= 1002 && code <= 1003) || (code >= 1007 && code <= 1010)) {
    return new TransportError('protocol', detail, { retryable: false, ...(code === 1009 && { status: 413 }) });
  }
  return new TransportError('network', detail, { retryable: true });
}

/** True for the server's `410 events_trimmed` (HTTP, or WebSocket close 4410): the events after the cursor are gone, the snapshot holds them. */
export function isEventsTrimmed(error: TransportError): boolean {
  return error.status === 410 && (error.serverCode === 'events_trimmed' || error.serverCode === undefined);
}

/** Any thrown value as a TransportError (a fetch TypeError is a network error). */
export function toTransportError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  return networkError(error);
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}
