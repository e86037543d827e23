/**
 * Dev-only endpoints of the mock backend, mounted by the Vite plugin (Storybook, `npm run
 * preview`, the demo) and never by `npm run mock` or the test server:
 *
 *     POST /api/_dev/drop-connections   → 200 {dropped: n}: cuts every open SSE / WebSocket /
 *                                          long-poll connection at once; the runs keep playing.
 *     GET  /api/_dev/producing          → 200 {producing: n}: runs this instance produces now.
 *
 * Storybook's "Drop connections" button uses it to show a client resuming after a cut.
 */
import { jsonReply, type Route } from '../src/server/index.ts';

/** Path of the endpoint that cuts every open connection. */
export const DROP_CONNECTIONS_PATH = '/api/_dev/drop-connections';

/** Path of the endpoint that counts the runs this instance produces. */
export const PRODUCING_PATH = '/api/_dev/producing';

/** Answer of `POST /api/_dev/drop-connections`. */
export interface DropConnectionsResponse {
  /** How many connections were cut. */
  dropped: number;
}

/** The dev-only routes (a kit Route: CORS, 405 and preflights come with it). */
export const DEV_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    template: DROP_CONNECTIONS_PATH,
    handle({ server }) {
      const body: DropConnectionsResponse = { dropped: server.dropConnections() };
      return jsonReply(200, body);
    },
  },
  {
    method: 'GET',
    template: PRODUCING_PATH,
    handle: ({ server }) => jsonReply(200, { producing: server.runs.producing }),
  },
];
