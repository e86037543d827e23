/**
 * The caret is steady while text arrives and blinks once the text rests, as an editor's caret does
 * while someone types. A blink while text streams costs a style and paint update of the caret per
 * step on top of the frame's own (P2: about a tenth of `<token-stream>`'s main-thread time per
 * token), and tells the reader nothing they do not see already.
 */

/** How long after the last text the caret starts blinking, ms. */
export const CARET_REST_MS = 500;

/** Marks the caret `data-steady` (no blink) from text's arrival until it rested for CARET_REST_MS. */
export class CaretRest {
  private textAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly caret: Element) {}

  /** Text arrived now (called at most once per frame). */
  arrived(): void {
    this.textAt = performance.now();
    if (!this.caret.hasAttribute('data-steady')) this.caret.setAttribute('data-steady', '');
    this.timer ??= setTimeout(this.check, CARET_REST_MS);
  }

  /** Blink again now and drop the timer (the element left the page). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.caret.removeAttribute('data-steady');
  }

  private readonly check = (): void => {
    const wait = this.textAt + CARET_REST_MS - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(this.check, wait);
      return;
    }
    this.stop();
  };
}
