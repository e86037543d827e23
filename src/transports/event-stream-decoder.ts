/**
 * A `text/event-stream` decoder with exactly the browser EventSource semantics (WHATWG HTML
 * §9.2.6), built on eventsource-parser for field parsing and dispatch. Where that parser deviates
 * from the standard, this module corrects it:
 * - line endings are normalised here, so a CR at the end of a chunk ends its line at once
 *   (the parser holds it back until the next chunk) and CR / LF / CRLF may be split anywhere;
 * - `id` fields are handled here: the last event id persists across events and across streams,
 *   an id-only block updates it, an id containing U+0000 is ignored (the parser clears the id);
 * - one U+FEFF is stripped at the start of each stream only (the parser strips the bytes EF BB BF
 *   from an already decoded string, and at the start of every first chunk, even an empty one);
 * - bytes are decoded as UTF-8 with a streaming TextDecoder, so characters split across chunks
 *   survive; a partial line or event at the end of a stream is dropped.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';

/** One dispatched event, shaped like the browser's MessageEvent. */
export interface EventStreamMessage {
  /** The `event:` field, `message` when none was given. */
  type: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last event id in force when the event was dispatched ('' when none). */
  lastEventId: string;
}

/** A streaming event-stream decoder; reuse it across reconnects so the last event id persists. */
export interface EventStreamDecoder {
  /** Feed the next chunk of the stream, as text or as UTF-8 bytes. */
  push(chunk: string | Uint8Array): void;
  /** End the current stream: a partial event is dropped; the next push starts a new stream (new BOM). */
  end(): void;
  /** The last event id, as a browser would send it in `Last-Event-ID` ('' when none). */
  readonly lastEventId: string;
  /** The reconnection time the server asked for with `retry:`, in ms (undefined until it does). */
  readonly retry: number | undefined;
}

/** Optional hooks of the decoder. */
export interface EventStreamDecoderOptions {
  /** Called for each comment line (`: text`), e.g. heartbeats. */
  onComment?(text: string): void;
}

/** Create a decoder calling `onEvent` for every dispatched event, as an EventSource would. */
export function createEventStreamDecoder(
  onEvent: (event: EventStreamMessage) => void,
  options: EventStreamDecoderOptions = {},
): EventStreamDecoder {
  let lastEventId = '';
  /** The stream's last event id buffer: starts as the persistent id, committed on each blank line. */
  let idBuffer = '';
  let retry: number | undefined;
  let atStreamStart = true;
  let skipLeadingLf = false;
  let partialLine = '';
  let utf8: TextDecoder | null = null;

  const parser: EventSourceParser = createParser({
    onEvent: (message) =>
      onEvent({
        type: message.event !== undefined && message.event !== '' ? message.event : 'message',
        data: message.data,
        lastEventId,
      }),
    onRetry: (ms) => {
      retry = ms;
    },
    ...(options.onComment && { onComment: (comment: string) => options.onComment?.(comment) }),
  });
  // Consume the parser's "first chunk" so its own BOM handling never applies: ours does.
  parser.feed('');

  /** Handle one complete line (without its terminator). */
  const line = (text: string): void => {
    if (text === '') {
      // Dispatch step 1: the last event id string takes the buffer's value, even when no data follows.
      lastEventId = idBuffer;
      parser.feed('\n');
      return;
    }
    if (text === 'id' || text.startsWith('id:')) {
      const value = text.length <= 3 ? '' : text.slice(text[3] === ' ' ? 4 : 3);
      if (!value.includes('\0')) idBuffer = value;
      return;
    }
    parser.feed(`${text}\n`);
  };

  const pushText = (input: string): void => {
    let text = input;
    if (text === '') return;
    if (atStreamStart) {
      atStreamStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (skipLeadingLf && text.charCodeAt(0) === 0x0a) text = text.slice(1);
    skipLeadingLf = text.endsWith('\r');
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      const piece = text.slice(start, i);
      line(partialLine === '' ? piece : partialLine + piece);
      partialLine = '';
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      start = i + 1;
    }
    if (start < text.length) partialLine += text.slice(start);
  };

  return {
    push(chunk) {
      if (typeof chunk === 'string') {
        pushText(chunk);
        return;
      }
      utf8 ??= new TextDecoder('utf-8', { ignoreBOM: true });
      pushText(utf8.decode(chunk, { stream: true }));
    },
    end() {
      // Flush the byte decoder (a truncated character can only end a partial line, dropped below).
      if (utf8) pushText(utf8.decode());
      utf8 = null;
      partialLine = '';
      parser.reset();
      parser.feed('');
      idBuffer = lastEventId;
      atStreamStart = true;
      skipLeadingLf = false;
    },
    get lastEventId() {
      return lastEventId;
    },
    get retry() {
      return retry;
    },
  };
}
