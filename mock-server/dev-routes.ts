/**
 * Dev-only endpoints of the mock backend, mounted by the Vite plugin (Storybook, `npm run
 * preview`, the demo) and never by `npm run mock` or the test server:
 *
 *     POST /api/_dev/drop-connections   → 200 {dropped: n}: cuts every open SSE / WebSocket /
 *                                          long-poll connection at once; the runs keep playing.
 *
 * Storybook's "Drop connections" button uses it to show a client resuming after a cut.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockApp } from './app.ts';
import { HttpError } from './errors.ts';
import { answerPreflight, sendError, sendJson } from './respond.ts';
import { parseRequestUrl } from './routes.ts';

/** Path of the endpoint that cuts every open connection. */
export const DROP_CONNECTIONS_PATH = '/api/_dev/drop-connections';

/** Answer of `POST /api/_dev/drop-connections`. */
export interface DropConnectionsResponse {
  /** How many connections were cut. */
  dropped: number;
}

/** Connect-style middleware for the dev-only endpoints; anything else goes to `next`. */
export function devRoutes(
  app: Pick<MockApp, 'dropConnections'>,
): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void {
  return (req, res, next) => {
    let pathname: string;
    try {
      pathname = parseRequestUrl(req.url).pathname;
    } catch {
      next();
      return;
    }
    if (pathname !== DROP_CONNECTIONS_PATH) {
      next();
      return;
    }
    if (req.method === 'OPTIONS') {
      answerPreflight(req, res);
      return;
    }
    // Nothing is read from the body: let it drain.
    req.resume();
    if (req.method !== 'POST') {
      sendError(
        res,
        new HttpError(405, 'method_not_allowed', `${req.method ?? 'this method'} is not allowed on ${pathname}`, {
          headers: { Allow: 'POST, OPTIONS' },
        }),
      );
      return;
    }
    const body: DropConnectionsResponse = { dropped: app.dropConnections() };
    sendJson(res, 200, body);
  };
}
