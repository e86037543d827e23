/**
 * The mock server's routes for the protocols agent backends already speak, each played with the
 * protocol's own published packages: AG-UI (`@ag-ui/core` + `@ag-ui/encoder`) under
 * `/protocols/ag-ui/`, the AI SDK UI message stream (`ai`'s streamText with its test model) under
 * `/protocols/ai-sdk/`, OpenAI Responses events (typed with the `openai` package) under
 * `/protocols/openai/`. Routes of the server kit: the mock's RunServer mounts them beside its own
 * (CORS, preflights, 404/405 and `dropConnections()` as for every other route).
 */
import type { Route } from '../../src/server/index.ts';
import { AgUiAgent } from './ag-ui.ts';
import { AiSdkChat } from './ai-sdk.ts';
import { OpenAiResponses } from './openai.ts';

/** The path prefix of every protocol route. */
export const PROTOCOLS_PREFIX = '/protocols/';

/** The protocol routes of one app. */
export interface ProtocolRoutes {
  /** The HTTP routes, for `createRunServer({ routes })`. */
  readonly routes: readonly Route[];
  /** Stop every stream's production and forget every conversation. */
  close(): void;
}

/** Create the protocol routes. */
export function createProtocolRoutes(): ProtocolRoutes {
  const backends = [new AgUiAgent(), new AiSdkChat(), new OpenAiResponses()];
  return {
    routes: backends.flatMap((backend) => backend.routes()),
    close: () => {
      for (const backend of backends) backend.close();
    },
  };
}
