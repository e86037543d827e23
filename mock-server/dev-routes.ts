/**
 * Dev-only endpoints of the mock backend, mounted by the Vite plugin (Storybook, `npm run
 * preview`, the demo) and never by `npm run mock` or the test server:
 *
 *     POST /api/_dev/drop-connections   → 200 {dropped: n}: cuts every open SSE / WebSocket /
 *                                          long-poll connection at once; the runs keep playing.
 *     GET  /api/_dev/producing          → 200 {producing: n}: runs this instance produces now.
 *     GET  /api/_dev/traffic/{id}       → 200 TrafficCounts of the run (404 before its first
 *                                          request): what this instance sent and received for it.
 *
 * Storybook's "Drop connections" button uses it to show a client resuming after a cut.
 */
import { HttpError, jsonReply, type Route } from '../src/server/index.ts';
import type { TrafficMeter } from './traffic.ts';

/** Path of the endpoint that cuts every open connection. */
export const DROP_CONNECTIONS_PATH = '/api/_dev/drop-connections';

/** Path of the endpoint that counts the runs this instance produces. */
export const PRODUCING_PATH = '/api/_dev/producing';

/** Answer of `POST /api/_dev/drop-connections`. */
export interface DropConnectionsResponse {
  /** How many connections were cut. */
  dropped: number;
}

/** Path of the endpoint that tells a run's traffic as the server counted it. */
export const TRAFFIC_PATH = '/api/_dev/traffic/{id}';

/** The dev-only routes (a kit Route: CORS, 405 and preflights come with it); `traffic` answers the traffic route. */
export const devRoutes = (traffic: TrafficMeter): readonly Route[] => [
  ...DEV_ROUTES,
  {
    method: 'GET',
    template: TRAFFIC_PATH,
    handle({ id }) {
      const counts = traffic.get(id);
      if (!counts) throw new HttpError(404, 'run_not_found', `no traffic recorded for run ${JSON.stringify(id)}`);
      return jsonReply(200, counts);
    },
  },
];

/** The dev-only routes that need nothing but the server. */
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
