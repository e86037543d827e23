/** A run's kept event with its wire encodings, computed once and shared by every connection. */
import { encodeSseEvent, encodeWsMessage, type RunState, type SequencedEvent } from '../src/protocol/index.ts';

/** One kept event, with its wire encodings computed once and shared by every connection. */
export class StoredEvent {
  private sseFrame: string | undefined;
  private wsText: string | undefined;
  /** The run's state right after this event; filled in when the reducer catches up (see `Run.stateAfter`). */
  reducedState: RunState | undefined;

  constructor(
    /** The event as sent. */
    readonly event: SequencedEvent,
  ) {}

  /** The SSE frame (`encodeSseEvent`). */
  get sse(): string {
    return (this.sseFrame ??= encodeSseEvent(this.event));
  }

  /** The JSON text (`encodeWsMessage`): a WebSocket message, and an item of a poll page. */
  get json(): string {
    return (this.wsText ??= encodeWsMessage(this.event));
  }
}
