/** Building answers: JSON bodies, JSON errors (`ApiErrorBody`), CORS. */
import type { ApiErrorBody } from '../../protocol/index.ts';
import { HttpError, RunKitError } from '../errors.ts';
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_S,
  UNAVAILABLE_RETRY_AFTER_S,
} from '../limits.ts';
import type { BodyReply, ServerRequest } from './request.ts';

/** Which origins may read the API from a browser: `'*'` (any, without credentials), a list, a test, or `false` (same origin only). */
export type CorsOrigins = '*' | readonly string[] | ((origin: string) => boolean);

/** CORS settings of a server. */
export interface CorsOptions {
  /** Origins allowed (default `'*'`). */
  readonly origins?: CorsOrigins;
  /** Let the browser send cookies / HTTP auth (never with `'*'`). */
  readonly credentials?: boolean;
}

const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/** Decides the CORS headers of every answer. */
export class Cors {
  private readonly origins: CorsOrigins | false;
  private readonly credentials: boolean;

  constructor(option: CorsOptions | false | undefined) {
    this.origins = option === false ? false : (option?.origins ?? '*');
    this.credentials = option === false ? false : (option?.credentials ?? false);
    if (this.credentials && this.origins === '*')
      throw new RunKitError('invalid_option', 'cors: credentials cannot be allowed for every origin ("*")');
  }

  /** The CORS headers of an answer to `request` (none when its origin is not allowed). */
  headersFor(request: ServerRequest): Record<string, string> {
    if (this.origins === false) return {};
    if (this.origins === '*')
      return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS };
    const origin = request.header('origin');
    const allowed =
      origin !== undefined &&
      (typeof this.origins === 'function' ? this.origins(origin) : this.origins.includes(origin));
    if (!allowed) return { Vary: 'Origin' };
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS,
      Vary: 'Origin',
      ...(this.credentials && { 'Access-Control-Allow-Credentials': 'true' }),
    };
  }

  /** The 204 answer to a preflight; the headers a browser asks for are allowed. */
  preflight(request: ServerRequest): BodyReply {
    const requested = request.header('access-control-request-headers')?.trim();
    const allow = requested && HEADER_LIST.test(requested) ? `${CORS_ALLOW_HEADERS}, ${requested}` : CORS_ALLOW_HEADERS;
    const cors = this.headersFor(request);
    return {
      kind: 'body',
      status: 204,
      headers: {
        ...cors,
        ...('Access-Control-Allow-Origin' in cors && {
          'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
          'Access-Control-Allow-Headers': allow,
          'Access-Control-Max-Age': String(CORS_MAX_AGE_S),
        }),
      },
      body: '',
    };
  }
}

/** An answer with JSON text that is already encoded. */
export function jsonTextReply(status: number, json: string, headers: Record<string, string> = {}): BodyReply {
  return {
    kind: 'body',
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: json,
  };
}

/** An answer with a JSON body. */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): BodyReply {
  return jsonTextReply(status, JSON.stringify(body), headers);
}

/** Turn anything thrown by a handler into an HttpError: unreachable logs are 503, the rest 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof RunKitError) {
    if (error.code === 'log_unavailable' || error.code === 'closed')
      return new HttpError(503, 'unavailable', error.message, {
        headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_S) },
      });
    if (error.code === 'run_not_found') return new HttpError(404, 'run_not_found', error.message);
    if (error.code === 'too_many_runs') return new HttpError(429, 'too_many_runs', error.message);
    if (error.code === 'events_trimmed') return new HttpError(410, 'events_trimmed', error.message);
  }
  return new HttpError(500, 'internal_error', 'internal server error');
}

/** The JSON error answer (`ApiErrorBody`) of anything a handler threw. */
export function errorReply(error: unknown): BodyReply {
  const http = toHttpError(error);
  const body: ApiErrorBody = {
    error: { code: http.code, message: http.message, ...(http.field !== undefined && { field: http.field }) },
  };
  return jsonReply(http.status, body, { ...http.headers });
}
