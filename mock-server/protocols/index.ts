/**
 * The mock server's routes for the protocols agent backends already speak, each played with the
 * protocol's own published packages: AG-UI (`@ag-ui/core` + `@ag-ui/encoder`) under
 * `/protocols/ag-ui/`, the AI SDK UI message stream (`ai`'s streamText with its test model) under
 * `/protocols/ai-sdk/`, OpenAI Responses events (typed with the `openai` package) under
 * `/protocols/openai/`. Plain node:http handlers, mounted in front of the app's own router.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AgUiAgent } from './ag-ui.ts';
import { AiSdkChat } from './ai-sdk.ts';
import { preflight, sendError, RouteError } from './http.ts';
import { OpenAiResponses } from './openai.ts';

/** The path prefix of every protocol route. */
export const PROTOCOLS_PREFIX = '/protocols/';

/** The protocol routes of one app. */
export interface ProtocolRoutes {
  /** Answer a request under `/protocols/`; false (untouched) for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Cut every open stream; returns how many. */
  dropConnections(): number;
  /** Cut every stream and forget every conversation. */
  close(): void;
}

/** Create the protocol routes. */
export function createProtocolRoutes(): ProtocolRoutes {
  const agUi = new AgUiAgent();
  const aiSdk = new AiSdkChat();
  const openai = new OpenAiResponses();
  const all = [agUi, aiSdk, openai];
  return {
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://mock.invalid');
      if (!url.pathname.startsWith(PROTOCOLS_PREFIX)) return false;
      if (req.method === 'OPTIONS') {
        preflight(req, res);
        return true;
      }
      if (!all.some((routes) => routes.handle(req, res, url)))
        sendError(res, new RouteError(404, 'not_found', `no protocol endpoint ${req.method ?? ''} ${url.pathname}`));
      return true;
    },
    dropConnections: () => all.reduce((n, routes) => n + routes.dropConnections(), 0),
    close: () => {
      for (const routes of all) routes.close();
    },
  };
}
