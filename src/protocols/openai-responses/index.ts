/**
 * `agentwire/protocols/openai-responses`: the OpenAI Responses API's streaming events (and servers
 * that speak them), shown by the agentwire elements. Runs start with `POST /v1/responses`; MCP
 * approval requests are answered with `mcp_approval_response` input items; background responses
 * resume with `starting_after`.
 */
import type { StreamProtocol } from '../types.ts';
import { openaiResponsesSession, responseIdOf } from './session.ts';

/** The OpenAI Responses protocol: pass it (or the name `openai-responses`) as `protocol` to `startRun` / `connectRun`. */
export const openaiResponses: StreamProtocol = /* @__PURE__ */ Object.freeze({
  kind: 'stream',
  name: 'openai-responses',
  paths: { runs: '/v1/responses', stream: '/v1/responses/{id}', cancel: '/v1/responses/{id}/cancel' },
  session: openaiResponsesSession,
  runIdOf: responseIdOf,
} as const);

export { openaiResponsesSession, responseIdOf } from './session.ts';
