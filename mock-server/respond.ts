/** Writing answers: CORS on everything, JSON bodies, JSON errors (`ApiErrorBody`). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorBody } from '../src/protocol/index.ts';
import { HttpError } from './errors.ts';

/** Request headers a browser may send cross-origin (preflight answer when it names none). */
export const CORS_ALLOW_HEADERS = 'Content-Type, Last-Event-ID, Cache-Control';
/** Response headers a cross-origin page may read. */
export const CORS_EXPOSE_HEADERS = 'X-Run-Id, Retry-After, Location';
/** Methods the API answers. */
export const CORS_ALLOW_METHODS = 'GET, POST, OPTIONS';
/** How long a browser may cache a preflight answer, in seconds. */
export const CORS_MAX_AGE_S = 600;

const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/** Set the CORS headers every answer carries. */
export function setCorsHeaders(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
}

/** Answer a CORS preflight with 204; requested headers are allowed (tests send custom ones). */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  const requested = req.headers['access-control-request-headers'];
  const allow =
    typeof requested === 'string' && HEADER_LIST.test(requested.trim())
      ? `${CORS_ALLOW_HEADERS}, ${requested.trim()}`
      : CORS_ALLOW_HEADERS;
  setCorsHeaders(res);
  res.writeHead(204, {
    'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
    'Access-Control-Allow-Headers': allow,
    'Access-Control-Max-Age': String(CORS_MAX_AGE_S),
    'Content-Length': '0',
  });
  res.end();
}

/** Answer with a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

/** Answer with JSON text that is already encoded. */
export function sendJsonText(
  res: ServerResponse,
  status: number,
  json: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  setCorsHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(json)),
    ...headers,
  });
  res.end(json);
}

/** Answer an error as JSON `ApiErrorBody`; anything but an HttpError becomes a 500 `internal_error`. */
export function sendError(res: ServerResponse, err: unknown): void {
  const error =
    err instanceof HttpError ? err : new HttpError(500, 'internal_error', 'internal error in the mock server');
  const body: ApiErrorBody = {
    error: { code: error.code, message: error.message, ...(error.field !== undefined && { field: error.field }) },
  };
  sendJson(res, error.status, body, { ...error.headers });
}
