/** Feeding a stream protocol's session by hand (Node tests): SSE text in, events and errors out, reduced like the store does. */
import type { ProtocolError, RunEvent } from '../../src/protocol/index.ts';
import type { StreamOrigin, StreamProtocol, StreamSession } from '../../src/protocols/types.ts';
import { pathsFor } from '../../src/run/connect.ts';
import { initialState, messageTexts, reduceAll, type RunStoreState } from '../../src/store/index.ts';
import { createEventStreamDecoder } from '../../src/transports/index.ts';

/** The base URL sessions are opened with (nothing is fetched: sessions only describe requests). */
export const AGENT_URL = 'http://agent.test';

/** A session of `protocol` for a run (the start's when `runId` is empty). */
export function sessionOf(protocol: StreamProtocol, runId = ''): StreamSession {
  return protocol.session({ baseUrl: AGENT_URL, runId, paths: pathsFor(protocol, undefined), now: () => 0 });
}

/** What one stream gave. */
export interface Played {
  events: RunEvent[];
  errors: ProtocolError[];
  /** The stream ended where its protocol ends one (not cut). */
  complete: boolean;
}

/** Read SSE text through the session as one stream from `origin`; `cut` leaves it without its end (`error`). */
export function play(session: StreamSession, sse: string, origin: StreamOrigin = 'start', cut = false): Played {
  const events: RunEvent[] = [];
  const errors: ProtocolError[] = [];
  session.open(origin);
  const decoder = createEventStreamDecoder(({ type, data }) => {
    for (const result of session.frame({ event: type, data })) {
      if (result.ok) events.push(result.value);
      else errors.push(result.error);
    }
  });
  decoder.push(sse);
  decoder.end();
  return { events, errors, complete: session.close(cut ? 'error' : 'end') };
}

/** The store state after these events. */
export function stateOf(events: readonly RunEvent[], state: RunStoreState = initialState()): RunStoreState {
  return reduceAll(state, events);
}

/** The text of every message, by message id. */
export function textsOf(text: RunStoreState['text']): Record<string, string> {
  return Object.fromEntries(messageTexts(text));
}

/** The seqs of events, to check they are gapless from 1. */
export function seqs(events: readonly RunEvent[]): number[] {
  return events.map((e) => e.seq ?? -1);
}

/** The events of one type. */
export function ofType<T extends RunEvent['type']>(
  events: readonly RunEvent[],
  type: T,
): Extract<RunEvent, { type: T }>[] {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
}
