/** The virtualizer layout of `<agent-log>`: @lit-labs/virtualizer's flow layout, following the end in one pass. */
import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';

/**
 * Estimated height (px) of a row not measured yet: a one-line log row with the default styles
 * (32 px; a tool call with its result is about 55). The flow layout's
 * default, 100 px, made 100,000 rows estimate 10,000,000 px, past the 8,200,000 px the virtualizer
 * lets its scroller grow to, and rendered half the rows the first screen needs before measuring.
 */
export const ROW_ESTIMATE_PX = 32;

/**
 * Rows rendered beyond the view (px) once the log is on screen: enough that a scroll finds its rows
 * already there. The first pass renders only a little more than the rows in view (FIRST_OVERHANG_PX),
 * so the first frame lays out and paints about 16 one-line rows at the default height instead of 40;
 * the overhang is widened a frame later (see `updateItemSizes`).
 */
const OVERHANG_PX = 1000;

/**
 * The first pass's overhang (px). Not 0: rows measured shorter than the estimate (a page with a
 * smaller font) then need rows the range did not have, added inside the ResizeObserver callback that
 * measured them, which Chromium reports as a "ResizeObserver loop" window error.
 */
const FIRST_OVERHANG_PX = 200;

/** The virtualizer never sizes its scroller past this (px): see `_sizeHostElement` in @lit-labs/virtualizer. */
const MAX_SCROLL_SIZE = 8_200_000;

/** Flow layout with a log-sized row estimate that places a log pinned to its end right from the first pass. */
export class LogLayout extends FlowLayout {
  override _itemSize = { width: 100, height: ROW_ESTIMATE_PX };
  protected override _overhang = FIRST_OVERHANG_PX;
  private widening = false;

  /**
   * The virtualizer measured the rows it rendered (in a ResizeObserver callback, inside a frame).
   * The first time, the full overhang is added a frame after the next one: the first frames paint
   * little more than the rows in view.
   */
  override updateItemSizes(sizes: Parameters<FlowLayout['updateItemSizes']>[0]): void {
    super.updateItemSizes(sizes);
    if (this.widening) return;
    this.widening = true;
    // Two frames on: the measuring pass may come in a lifecycle update before the next frame's callbacks.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        this._overhang = OVERHANG_PX;
        this._triggerReflow();
      }),
    );
  }

  /**
   * The row the next pass is laid out around. The flow layout takes the first row with any part in
   * the view, so a row cut by the view's top edge that grew (a tool call getting its result) pushed
   * every row in view down, by 68 px for one result, under a reader scrolled up in the log, even
   * when 1 px of that row showed. The anchor is now the first row at least half in view, or else
   * the next row starting in view: what the reader reads stays where it is, and a row mostly above
   * the view grows upwards, as the browser's own scroll anchoring keeps a document still (the
   * virtualizer's absolutely placed rows opt out of that).
   */
  override _getAnchor(lower: number, upper: number): number {
    const top = this._scrollPosition;
    const bottom = top + this._viewDim1;
    for (let index = Math.max(0, this._first); index <= this._last; index++) {
      const item = this._getPhysicalItem(index);
      if (!item || item.pos + item.size <= top) continue;
      if (item.pos >= bottom) break;
      const shown = Math.min(item.pos + item.size, bottom) - Math.max(item.pos, top);
      if (item.pos >= top || shown * 2 >= item.size) return index;
      const next = this._getPhysicalItem(index + 1);
      return next && next.pos < bottom ? index + 1 : index;
    }
    return super._getAnchor(lower, upper);
  }

  /**
   * Pinned to the end of the last row (how the log follows its newest entry), the scroll position
   * is the scroll size minus the view. The flow layout derives it instead from where the last row
   * was placed in the previous pass, clamped to the scroller's scroll height read before this pass
   * resized it: both are stale on the first pass (an empty scroller) and again once the first rows
   * are measured, so the newest row landed a whole overhang (1,000 px) below the view, or the range
   * came out empty and the log was painted empty, and the follow loop put it right frames later.
   */
  protected override _setPositionFromPin(): void {
    const pin = this.pin;
    if (pin?.block !== 'end' || pin.index !== this.items.length - 1) {
      super._setPositionFromPin();
      return;
    }
    const end = Math.max(0, Math.min(this._scrollSize, MAX_SCROLL_SIZE) - this._viewDim1);
    // The scroll error is what the virtualizer scrolls by after it resized the scroller. A scroller
    // that shrank has already been scrolled back to its new end by the browser (a scroll position
    // never exceeds the scroll size): scrolling by the shrink as well put the view that far above
    // the end (29,560 px for 100,000 rows measured 1.5 px shorter than the estimate), and painted
    // frames with no row in view until the follow loop put it right.
    const previous = Math.min(this._scrollPosition, end);
    this._scrollPosition = end;
    this._scrollError = previous - end;
  }
}
