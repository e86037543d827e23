/**
 * The plain-TS core of `<token-stream>`: turns successive `TextState`s into the DOM operations a
 * view needs (O(new text) per sync, never O(all text)), and decides when a message is complete
 * so it can be announced once.
 */
import { messageTexts, textSince, type TextState } from '../../store/index.ts';

/** A message is laid out in blocks: past this many characters a block ends at the next line break (invisible). */
export const BLOCK_SOFT_LIMIT = 1500;
/** Past this many characters without a line break, a block ends at the next sentence end. */
export const BLOCK_HARD_LIMIT = 3000;
/** Past the hard limit by this much without a sentence end, a block ends at the next space. */
export const BLOCK_GRACE = 1500;
/** No block grows past this: without any space in reach, it is cut. */
export const BLOCK_MAX = BLOCK_HARD_LIMIT + 2 * BLOCK_GRACE;

/**
 * Where to end the current block when `content` is appended to it, or -1 to append it all.
 * `length` and `last` describe the block so far (its length and last character). Returns an
 * index in [0, content.length]: `content.slice(0, i)` closes the block, the rest opens a new one.
 *
 * Browsers lay out a whole block again when text is added to it, so an ever-growing paragraph
 * makes every frame O(text); bounded blocks keep it O(block). Breaks prefer line breaks
 * (invisible in `pre-wrap` text), then sentence ends, then spaces; no block exceeds BLOCK_MAX.
 */
export function blockBreak(length: number, last: string, content: string): number {
  const total = length + content.length;
  const newline = content.indexOf('\n', Math.max(0, BLOCK_SOFT_LIMIT - length - 1));
  if (newline !== -1 && length + newline + 1 <= BLOCK_HARD_LIMIT) return newline + 1;
  if (total < BLOCK_HARD_LIMIT) return -1;
  // A sentence end: [.!?] then whitespace, the whitespace kept at the end of the closing block.
  const sentence = /[.!?]\s/g;
  sentence.lastIndex = Math.max(0, BLOCK_HARD_LIMIT - length);
  const end = sentence.exec(last + content);
  if (end && length + end.index + 1 <= BLOCK_HARD_LIMIT + BLOCK_GRACE) return end.index + 1;
  if (total < BLOCK_HARD_LIMIT + BLOCK_GRACE) return -1;
  const space = /\s/g;
  space.lastIndex = Math.max(0, BLOCK_HARD_LIMIT + BLOCK_GRACE - length);
  const gap = space.exec(content);
  if (gap && length + gap.index + 1 <= BLOCK_MAX) return gap.index + 1;
  if (total < BLOCK_MAX) return -1;
  return BLOCK_MAX - length;
}

/** What a view showing the cursor's previous text must do to show the new one. */
export type TextOp =
  | { readonly kind: 'append'; readonly messageId: string; readonly content: string }
  /** The text is not a continuation (e.g. rebuilt from a snapshot): show exactly these messages, in order. */
  | { readonly kind: 'replace'; readonly messages: readonly (readonly [messageId: string, text: string])[] };

/** A message finished while watched: announce its text from offset `from` (what was announced before is skipped). */
export interface Completion {
  readonly messageId: string;
  readonly from: number;
}

/** The outcome of one sync. */
export interface TextSync {
  readonly ops: TextOp[];
  /** Messages completed because a later message started. */
  readonly completed: Completion[];
}

interface Track {
  /** Characters of this message the view shows. */
  length: number;
  /** Characters already announced. */
  announced: number;
  /** Received text while watched since its last announcement. */
  dirty: boolean;
}

/** Follows one run's text for one view. Create a new cursor for a new run. */
export class TextCursor {
  private chunks = 0;
  private length = 0;
  private lastChunk: string | undefined;
  private primed = false;
  private current: string | null = null;
  private readonly tracks = new Map<string, Track>();

  /** The message that received text last, or null before any. */
  get currentMessage(): string | null {
    return this.current;
  }

  /**
   * What changed since the last sync. The first sync is a baseline: what is already there is
   * shown but never announced (only messages that receive text while watched are).
   */
  sync(text: TextState): TextSync {
    const completed: Completion[] = [];
    const deltas = text.chunks.length >= this.chunks ? textSince(text, this.chunks) : null;
    const added = deltas?.reduce((sum, d) => sum + d.content.length, 0) ?? 0;
    const continues =
      deltas !== null &&
      text.length - added === this.length &&
      (this.chunks === 0 || text.chunks.at(this.chunks - 1) === this.lastChunk);
    let ops: TextOp[];
    if (continues) {
      ops = deltas.map((d) => ({ kind: 'append', messageId: d.messageId, content: d.content }));
      for (const d of deltas) this.receive(d.messageId, d.content.length, completed);
    } else {
      const messages = messageTexts(text);
      ops = [{ kind: 'replace', messages }];
      const seen = new Set<string>();
      for (const [id, body] of messages) {
        seen.add(id);
        const track = this.tracks.get(id);
        const grown = body.length - (track?.length ?? 0);
        if (track && grown < 0)
          Object.assign(track, { length: body.length, announced: Math.min(track.announced, body.length) });
        else if (grown > 0 || !track) this.receive(id, grown, completed);
      }
      for (const id of [...this.tracks.keys()]) if (!seen.has(id)) this.tracks.delete(id);
      this.current = text.runs.at(-1)?.messageId ?? null;
    }
    this.chunks = text.chunks.length;
    this.length = text.length;
    this.lastChunk = text.chunks.at(-1);
    this.primed = true;
    return { ops, completed };
  }

  /** The stream paused or ended (the run waits for input, or finished): the current message is complete. */
  finish(): Completion[] {
    const out: Completion[] = [];
    if (this.current !== null) this.complete(this.current, out);
    return out;
  }

  private receive(messageId: string, chars: number, completed: Completion[]): void {
    if (this.current !== null && this.current !== messageId) this.complete(this.current, completed);
    this.current = messageId;
    let track = this.tracks.get(messageId);
    if (!track) this.tracks.set(messageId, (track = { length: 0, announced: 0, dirty: false }));
    track.length += chars;
    if (this.primed && chars > 0) track.dirty = true;
  }

  private complete(messageId: string, out: Completion[]): void {
    const track = this.tracks.get(messageId);
    if (!track?.dirty) return;
    out.push({ messageId, from: track.announced });
    track.announced = track.length;
    track.dirty = false;
  }
}
