/**
 * `agentwire/protocols/ag-ui`: AG-UI (https://docs.ag-ui.com) backends — LangGraph, CrewAI, Mastra,
 * Pydantic AI, LlamaIndex, Agno and others serving `@ag-ui/*` — shown by the agentwire elements.
 * Runs start with a POST of a RunAgentInput to the agent's URL (`baseUrl`); interrupts are
 * answered with the next run's `resume` entries on the same thread.
 */
import type { StreamProtocol } from '../types.ts';
import { agUiSession } from './session.ts';

/** The AG-UI protocol: pass it (or the name `ag-ui`) as `protocol` to `startRun` / `connectRun`. */
export const agUi: StreamProtocol = /* @__PURE__ */ Object.freeze({
  kind: 'stream',
  name: 'ag-ui',
  // HttpAgent posts to the agent's own URL: `baseUrl` is that URL.
  paths: { runs: '' },
  session: agUiSession,
} as const);

export { agUiSession } from './session.ts';
