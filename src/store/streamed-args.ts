/**
 * The arguments of tool calls still streaming, parsed as they grow: each call keeps its parser,
 * which reads the pieces that arrived since it last read (`ToolStream.pieces`, never the whole
 * text). A view that shows every call's arguments each frame thus costs what arrived, whatever
 * their length.
 */
import type { AppendList } from './append-list.ts';
import { PartialJsonParser } from './partial-json.ts';
import type { ToolStream } from './state.ts';

/** A call's parser and the pieces it has read. */
interface Call {
  read: AppendList<string>;
  readonly parser: PartialJsonParser;
}

/** Parsers of streaming tool calls' arguments, by call id (see the module doc). */
export class StreamedArgs {
  private readonly calls = new Map<string, Call>();
  private streams: ReadonlyMap<string, ToolStream> | null = null;

  /** What call `callId`'s arguments in `streams` say so far (undefined when nothing yet, or not JSON). */
  value(streams: ReadonlyMap<string, ToolStream>, callId: string): unknown {
    return this.parsed(streams, callId)?.result?.value;
  }

  /** `value`, with the string still being read cut short (PartialJsonParser.peek): enough for a preview. */
  peek(streams: ReadonlyMap<string, ToolStream>, callId: string): unknown {
    return this.parsed(streams, callId)?.peek?.value;
  }

  /** Call `callId`'s parser, having read every piece in `streams`; undefined when it is not streaming. */
  private parsed(streams: ReadonlyMap<string, ToolStream>, callId: string): PartialJsonParser | undefined {
    if (streams !== this.streams) {
      // Forget calls that ended (or belong to another run).
      for (const id of this.calls.keys()) if (!streams.has(id)) this.calls.delete(id);
      this.streams = streams;
    }
    const pieces = streams.get(callId)?.pieces;
    if (!pieces) return undefined;
    let call = this.calls.get(callId);
    let from = call?.read.length ?? 0;
    if (!call || !pieces.extends(call.read)) {
      // New, or pieces that do not continue what was read (a snapshot replaced them): read them all.
      this.calls.set(callId, (call = { read: pieces, parser: new PartialJsonParser() }));
      from = 0;
    }
    for (const piece of pieces.slice(from)) call.parser.push(piece);
    call.read = pieces;
    return call.parser;
  }
}

/**
 * The last `count` characters of the text `pieces` make (all of it when shorter), read from the
 * newest pieces: the end of arguments that have grown long, without joining them all.
 */
export function lastCharacters(pieces: AppendList<string>, count: number): string {
  const newest: string[] = [];
  let length = 0;
  for (let k = pieces.length - 1; k >= 0 && length < count; k--) {
    const piece = pieces.at(k)!;
    newest.push(piece);
    length += piece.length;
  }
  const text = newest.reverse().join('');
  return length > count ? text.slice(length - count) : text;
}
