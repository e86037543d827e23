/**
 * The DOM of one streamed message rendered as markdown (`<token-stream format="markdown">`): the
 * same surface as MessageView (append, reset, end, text), over the incremental renderer of
 * src/markdown. Text is buffered on `append` and rendered once per frame in `commit`. Loaded
 * only when an element's format is markdown.
 */
import { css } from 'lit';
import { plainText } from '../../markdown/plain-text.ts';
import { renderMarkdown } from '../../markdown/render-document.ts';
import { HOSTED_ATTRIBUTE } from '../../markdown/morph.ts';
import { MarkdownRenderer } from '../../markdown/renderer.ts';
import type { MarkdownOptions } from '../../markdown/options.ts';
import { adoptMarkdownStyles as adoptSheet } from '../../markdown/styles.ts';

/**
 * A streamed message's top-level blocks each paint in their own layer (`isolation: isolate` makes
 * each a stacking context), so a frame repaints only the block that changed: without it the whole
 * message is one paint layer, and every frame walked all of it within the scroller's cull rect
 * again (P2 at 100 KB, main-thread ms per 1k tokens: 160 → 109). It changes nothing visible (the
 * blocks do not overlap, nothing in rendered markdown is positioned or has a z-index; screenshots
 * of the torture text, streaming and final, focus rings shown, are pixel-identical with and
 * without it).
 */
const streamStyles = css`
  [part~='message'].markdown > * {
    isolation: isolate;
  }
`;

/**
 * Frame times jitter by a millisecond or two: a draw is due once the interval has passed but for
 * this much, so 50 ms draws every third frame at 60 Hz and every sixth at 120 Hz, never every
 * fourth (33 ms: every second and every fourth).
 */
const FRAME_SLACK_MS = 4;

/** The current animation frame's time (the same for every callback of a frame), in ms. */
function frameTime(): number {
  const time = document.timeline.currentTime;
  return typeof time === 'number' ? time : performance.now();
}

/** Add the markdown stylesheet and the streamed message's own rules to an element's shadow root, once. */
export function adoptMarkdownStyles(root: ShadowRoot): void {
  adoptSheet(root);
  const sheet = streamStyles.styleSheet;
  if (sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** One message's element, rendered as markdown. */
export class MarkdownMessageView {
  /** The message element (`part="message"`, `data-message-id`, class `markdown`). */
  readonly element: HTMLElement;
  private readonly renderer: MarkdownRenderer;
  private readonly options: MarkdownOptions;
  private changed = false;
  /** When the open block was last rendered while streaming (the frame's time, ms). */
  private drawnAt = Number.NEGATIVE_INFINITY;

  constructor(messageId: string, options: MarkdownOptions) {
    this.element = document.createElement('div');
    this.element.setAttribute('part', 'message');
    this.element.className = 'markdown';
    this.element.dataset['messageId'] = messageId;
    this.options = options;
    this.renderer = new MarkdownRenderer(this.element, options);
  }

  /** The element the newest text ends in (where a caret belongs). */
  get end(): Element {
    return this.renderer.end;
  }

  /** The message's markdown text. */
  get text(): string {
    return this.renderer.text;
  }

  /** Append streamed text (rendered at the next `commit`). */
  append(content: string, _caret: Element): void {
    this.renderer.append(content);
    this.changed ||= content !== '';
  }

  /** Show exactly `text` (after a rebuild). */
  reset(text: string, _caret: Element): void {
    this.renderer.reset(text);
    this.changed = true;
  }

  /**
   * Render what arrived since the last commit: only the open block changes. `complete`: the
   * message is not streaming any more (it is rendered final and its code highlighted, at once).
   * While it streams, the open block is rendered again at most once per `interval` ms (0: every
   * frame). Returns null, or the ms until it may be rendered again (text arriving before then is
   * held back).
   */
  commit(complete: boolean, caret: Element, interval = 0): number | null {
    if (!this.changed && (!complete || this.renderer.isFinished)) return null;
    if (!complete) {
      const now = frameTime();
      if (this.drawnAt + interval - FRAME_SLACK_MS > now) return this.untilDue(interval);
      this.drawnAt = now;
    }
    // While streaming, the caret stays where it is as the open block is updated around it: moving
    // it every frame restarted its blink animation and its block's style and layout (P2: about a
    // quarter of the element's cost per token). A message rendered final shows no caret.
    if (complete) caret.remove();
    else if (!caret.hasAttribute(HOSTED_ATTRIBUTE)) caret.setAttribute(HOSTED_ATTRIBUTE, '');
    if (complete) this.renderer.finish();
    else this.renderer.render();
    this.changed = false;
    return complete || interval <= FRAME_SLACK_MS ? null : this.untilDue(interval);
  }

  /** The ms from now (not from the frame's start) until the open block may be rendered again. */
  private untilDue(interval: number): number {
    return Math.max(0, this.drawnAt + interval - FRAME_SLACK_MS - performance.now());
  }

  /** What to announce from source offset `from` on: the rendered words, no markup. */
  spokenFrom(from: number): string {
    if (from <= 0) return plainText(this.element);
    const holder = document.createElement('div');
    holder.append(renderMarkdown(this.renderer.text.slice(from), { ...this.options, highlight: null }));
    return plainText(holder);
  }
}
