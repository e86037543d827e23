/**
 * The reasoning ("thinking") of a run as collapsible blocks, one per message: streamed in place
 * (O(new text) per sync, through the same cursor and bounded text blocks as `<token-stream>`),
 * open while the model thinks, collapsed once the answer starts (unless the user opened or
 * closed it; not while they read, scrolled away from the end), its box following its newest
 * thoughts (unless the user scrolled it up). Its text is shown as the element shows answers: as
 * text (never markup, never raw JSON), or with `format="markdown"` through the same safe markdown
 * renderer (models write their thoughts in markdown: a summary's `**Title**` is bold, not
 * asterisks). Used by `<token-stream>` (a block above each answer) and `<agent-log>` (the latest
 * block, above the log).
 */
import type { TextState } from '../../store/index.ts';
import { MessageView } from '../token-stream/message-view.ts';
import { TextCursor } from '../token-stream/text-cursor.ts';
import { BoxFollow } from './box-follow.ts';

/** What shows a block's reasoning: the text view, or a markdown view (rendered at each `commit`). */
export interface ReasoningBody {
  /** The element holding the text. */
  readonly element: HTMLElement;
  /** Append streamed text. */
  append(content: string, caret: Element): void;
  /** Show exactly `text`. */
  reset(text: string, caret: Element): void;
  /** Draw what arrived (once per sync); `complete`: no more is expected, render it final. */
  commit?(complete: boolean, caret: Element): unknown;
}

/** A block's body as plain text (the default). */
export const textReasoning = (messageId: string): ReasoningBody => new MessageView(messageId);

/** What decides a block's label and whether it is still open. */
export interface ReasoningContext {
  /** The run's answer text: a block collapses once answer text arrives after its last reasoning. */
  readonly text: TextState | undefined;
  /** The run is streaming (a block still receiving reasoning says "Thinking…"). */
  readonly streaming: boolean;
  /** Current time, ms since the epoch. */
  readonly now: number;
  /**
   * The user is reading the view the blocks are in (scrolled away from its end, or selecting): no
   * block collapses under them; it does once they are back.
   */
  readonly reading?: boolean;
}

/** One message's reasoning block. */
class ReasoningBlock {
  readonly element: HTMLDetailsElement;
  private readonly label: HTMLElement;
  /** The answer's length when this block last received reasoning: more answer text means the answer started. */
  answerMark = 0;
  /** When the block first received reasoning while watched (null: it was already there). */
  startedAt: number | null = null;
  /** When the answer started (the end of thinking), or null. */
  endedAt: number | null = null;
  /** The user opened or closed it: it is left as they set it. */
  touched = false;
  /** What this code last set `open` to (a toggle to anything else is the user's). */
  private expected = false;

  constructor(
    readonly messageId: string,
    readonly body: ReasoningBody,
  ) {
    this.element = document.createElement('details');
    this.element.setAttribute('part', 'reasoning');
    this.element.dataset['messageId'] = messageId;
    const summary = document.createElement('summary');
    summary.setAttribute('part', 'reasoning-summary');
    this.label = document.createElement('span');
    summary.append(this.label);
    body.element.setAttribute('part', 'reasoning-text');
    this.element.append(summary, this.body.element);
    this.element.addEventListener('toggle', () => {
      if (this.element.open !== this.expected) this.touched = true;
    });
  }

  /** Open or close it, unless the user chose. */
  setOpen(open: boolean): void {
    if (this.touched || this.element.open === open) return;
    this.expected = open;
    this.element.open = open;
  }

  /** "Thinking…" while it streams, then "Thought for 4 s" (or "Reasoning" when its timing is unknown). */
  setLabel(thinking: boolean): void {
    let text = 'Reasoning';
    if (thinking) text = 'Thinking…';
    else if (this.startedAt !== null && this.endedAt !== null) {
      const seconds = Math.max(1, Math.round((this.endedAt - this.startedAt) / 1000));
      text = `Thought for ${seconds} s`;
    }
    if (this.label.textContent !== text) this.label.textContent = text;
    this.element.dataset['state'] = thinking ? 'thinking' : 'done';
  }
}

/** Keeps reasoning blocks in step with a run's reasoning text. */
export class ReasoningBlocks {
  private cursor = new TextCursor();
  private primed = false;
  private readonly blocks = new Map<string, ReasoningBlock>();
  private readonly caret = document.createElement('span');
  /** Each block's text box shows its newest thoughts (by message id) unless the user scrolled it up. */
  private readonly follow = new BoxFollow(
    '[part~="reasoning-text"]',
    (box) => box.closest<HTMLElement>('[part~="reasoning"]')?.dataset['messageId'],
  );

  /**
   * `place(element, messageId)` puts a new (or rebuilt) block where it belongs; `latestOnly`
   * keeps only the newest message's block (the others are removed); `body(messageId)` makes what
   * shows a new block's text (plain text unless given).
   */
  constructor(
    private readonly place: (element: HTMLElement, messageId: string) => void,
    private readonly latestOnly = false,
    private readonly body: (messageId: string) => ReasoningBody = textReasoning,
  ) {}

  /** Number of blocks shown. */
  get size(): number {
    return this.blocks.size;
  }

  /** The block of `messageId`, if any. */
  element(messageId: string): HTMLElement | undefined {
    return this.blocks.get(messageId)?.element;
  }

  /** Show what is new in `reasoning`, and collapse blocks whose answer started. O(new reasoning + messages). */
  sync(reasoning: TextState | undefined, context: ReasoningContext): void {
    const watched = this.primed;
    const grown = new Set<ReasoningBlock>();
    if (reasoning) {
      const { ops } = this.cursor.sync(reasoning);
      this.primed = true;
      for (const op of ops) {
        if (op.kind === 'append') {
          const block = this.block(op.messageId, watched, context);
          block.body.append(op.content, this.caret);
          grown.add(block);
        } else {
          const keep = new Set<string>();
          for (const [id, body] of op.messages) {
            keep.add(id);
            const block = this.block(id, false, context);
            block.body.reset(body, this.caret);
            this.place(block.element, id);
          }
          for (const [id, block] of this.blocks) {
            if (keep.has(id)) continue;
            block.element.remove();
            this.blocks.delete(id);
          }
        }
      }
    }
    const answer = context.text?.length ?? 0;
    const current = this.cursor.currentMessage;
    for (const block of this.blocks.values()) {
      const answered = answer > block.answerMark;
      if (answered && block.endedAt === null && block.startedAt !== null) block.endedAt = context.now;
      const thinking = !answered && context.streaming && block.messageId === current;
      block.setLabel(thinking);
      block.body.commit?.(!thinking, this.caret);
      if (thinking || !context.reading) block.setOpen(thinking);
      if (grown.has(block) && block.element.open) this.follow.show(block.body.element);
    }
    if (this.latestOnly && current !== null)
      for (const [id, block] of this.blocks) {
        if (id === current) continue;
        block.element.remove();
        this.blocks.delete(id);
      }
  }

  /** Forget every block (a different run). */
  clear(): void {
    for (const block of this.blocks.values()) block.element.remove();
    this.blocks.clear();
    this.follow.forget();
    this.cursor = new TextCursor();
    this.primed = false;
  }

  private block(messageId: string, watched: boolean, context: ReasoningContext): ReasoningBlock {
    let block = this.blocks.get(messageId);
    if (!block) {
      block = new ReasoningBlock(messageId, this.body(messageId));
      if (watched) block.startedAt = context.now;
      this.blocks.set(messageId, block);
      this.place(block.element, messageId);
    }
    // Watched, more answer text later means the answer started; found already there, only an answer
    // of the same message says so.
    const text = context.text;
    const answered = !watched && text?.runs.toArray().some((run) => run.messageId === messageId) === true;
    block.answerMark = answered ? -1 : (text?.length ?? 0);
    return block;
  }
}
