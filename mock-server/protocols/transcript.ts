/**
 * What a protocol route's scenario says, message by message, derived from the very script the
 * route plays (not written out a second time): what a page showing the run must show. Served at
 * `GET {protocol prefix}/transcripts/{scenario}` so Storybook's "Check against server" and the
 * smoke test can compare the text on screen with it, as agentwire runs are compared with their
 * snapshot. It imports only the server kit's platform-neutral core, so the stories read the paths
 * from it too.
 */
import { HttpError, jsonReply, type Route } from '../../src/server/index.ts';

/** The assistant's messages of a scenario with one approval, each message's whole text, in order. */
export interface Transcript {
  /** Streamed before the approval is asked. */
  readonly asked: readonly string[];
  /** Streamed after it, when approved. */
  readonly approved: readonly string[];
  /** Streamed after it, when denied. */
  readonly denied: readonly string[];
}

/** The protocols with transcripts, by `protocol` name. */
export type TranscriptProtocol = 'ag-ui' | 'ai-sdk' | 'openai-responses';

/** Where each protocol's transcripts are served (`{id}` = the scenario). */
export const TRANSCRIPT_PATHS: Readonly<Record<TranscriptProtocol, string>> = {
  'ag-ui': '/protocols/ag-ui/transcripts/{id}',
  'ai-sdk': '/protocols/ai-sdk/transcripts/{id}',
  'openai-responses': '/protocols/openai/transcripts/{id}',
};

/** Text deltas folded into whole messages by message id, messages in the order they started. */
export function foldTexts(deltas: Iterable<readonly [id: string, delta: string]>): string[] {
  const texts = new Map<string, string>();
  for (const [id, delta] of deltas) texts.set(id, (texts.get(id) ?? '') + delta);
  return [...texts.values()];
}

/** `GET {path}` answering a scenario's transcript (404 for a scenario without one). */
export function transcriptRoute(
  protocol: TranscriptProtocol,
  transcripts: Readonly<Partial<Record<string, () => Transcript>>>,
): Route {
  return {
    method: 'GET',
    template: TRANSCRIPT_PATHS[protocol],
    handle: ({ id }) => {
      const transcript = Object.hasOwn(transcripts, id) ? transcripts[id] : undefined;
      if (!transcript)
        throw new HttpError(
          404,
          'transcript_not_found',
          `no ${protocol} transcript for scenario ${JSON.stringify(id)}`,
        );
      return jsonReply(200, transcript());
    },
  };
}
