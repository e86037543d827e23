/**
 * `agentwire/protocols/ai-sdk`: backends that answer with the Vercel AI SDK UI message stream
 * (`createUIMessageStreamResponse` + `toUIMessageStream`, or `toUIMessageStreamResponse()`),
 * shown by the agentwire elements. Requests go as `useChat`'s DefaultChatTransport sends them;
 * approvals are answered with the assistant message's `approval-responded` tool parts.
 */
import type { SessionContext, StreamProtocol } from '../types.ts';
import { aiSdkSession, type AiSdkOptions } from './session.ts';

/** The AI SDK protocol with options (e.g. a resume endpoint that is not a replay). */
export function createAiSdkProtocol(options: AiSdkOptions = {}): StreamProtocol {
  return Object.freeze({
    kind: 'stream',
    name: 'ai-sdk',
    // DefaultChatTransport's defaults: `api` = /api/chat, resume = {api}/{id}/stream; stop as in the AI SDK's resumable-stream guide.
    paths: { runs: '/api/chat', stream: '/api/chat/{id}/stream', cancel: '/api/chat/{id}/stop' },
    session: (context: SessionContext) => aiSdkSession(context, options),
  } as const);
}

/** The AI SDK protocol: pass it (or the name `ai-sdk`) as `protocol` to `startRun` / `connectRun`. */
export const aiSdk: StreamProtocol = /* @__PURE__ */ createAiSdkProtocol();

export { aiSdkSession, type AiSdkOptions } from './session.ts';
