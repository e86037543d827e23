/**
 * What `<token-stream>` shows besides the answer: each message's reasoning as a collapsible block
 * above its text (see ReasoningBlocks), and a placeholder while there is nothing to read yet.
 * Kept apart from the text and markdown views: this module only places blocks next to them.
 */
import type { RunStatus, TextState } from '../../store/index.ts';
import { ReasoningBlocks, type ReasoningBody } from '../shared/reasoning-blocks.ts';

/** What the placeholder says while the stream shows no text, or null once there is some. */
export function placeholderText(status: RunStatus, hasText: boolean, hasReasoning: boolean): string | null {
  if (hasText) return null;
  switch (status) {
    case 'idle':
      return hasReasoning ? null : 'No response yet.';
    case 'queued':
      return 'Waiting for the run to start…';
    case 'running':
      return hasReasoning ? null : 'Thinking…';
    case 'waiting':
      return hasReasoning ? null : 'Waiting for your answer…';
    case 'done':
    case 'failed':
    case 'cancelled':
      return 'No response.';
  }
}

/** The reasoning blocks of one `<token-stream>`: each placed right above its message's text. */
export class StreamReasoning {
  private readonly blocks: ReasoningBlocks;

  constructor(
    private readonly content: () => HTMLElement | null,
    /** The element of a message's text, if it is shown. */
    private readonly messageElement: (messageId: string) => Element | undefined,
    /** What shows a new block's text (as the element shows answers: text or markdown). */
    body: (messageId: string) => ReasoningBody,
  ) {
    this.blocks = new ReasoningBlocks((element, messageId) => this.place(element, messageId), false, body);
  }

  /** Number of blocks shown. */
  get size(): number {
    return this.blocks.size;
  }

  /**
   * Show what is new, collapse blocks whose answer started (not while the user is `reading`,
   * scrolled away from the end), and keep each block above its message.
   */
  sync(reasoning: TextState | undefined, text: TextState | undefined, streaming: boolean, reading: boolean): void {
    this.blocks.sync(reasoning, { text, streaming, now: Date.now(), reading });
  }

  /**
   * A message's text element was just added: its reasoning block (if any) ends up right above it.
   * The new element is the one moved, not the block: moving the block would drop a selection the
   * user is making in it (a live range in a removed node collapses).
   */
  placeAbove(messageId: string): void {
    const block = this.blocks.element(messageId);
    if (!block) return;
    const message = this.messageElement(messageId);
    if (message && block.parentNode === this.content() && message.parentNode === block.parentNode) {
      if (block.nextSibling !== message) block.after(message);
    } else this.place(block, messageId);
  }

  /** Forget every block (a different run, or everything shown again). */
  clear(): void {
    this.blocks.clear();
  }

  private place(element: HTMLElement, messageId: string): void {
    const content = this.content();
    if (!content) return;
    const message = this.messageElement(messageId);
    if (message?.parentNode === content) {
      if (element.nextSibling !== message) message.before(element);
    } else if (element.parentNode !== content) content.append(element);
  }
}
