/**
 * Scrolling boxes inside a view (a reasoning block's text, a streaming tool call's arguments) that
 * show their newest content as it streams, unless the user scrolled them up: then they stay where
 * the user put them, and follow again once the user is back at their end. The user's choice is
 * kept by key, since a box can be made anew for the same content (a virtualised row). A scroll
 * this code made is told apart from the user's by its position.
 */
import { AT_END_SLACK } from '../../controllers/follow-controller.ts';

/** The boxes matching one selector under one root. */
export class BoxFollow {
  /** Keys of boxes the user scrolled away from their end. */
  private readonly away = new Set<string>();
  /** Where this code last scrolled each box. */
  private readonly setTo = new WeakMap<Element, number>();
  /** Where the user's scrolls are heard (scroll events do not bubble: they are caught on their way down). */
  private root: Node | null = null;

  /** Boxes match `selector`; `keyOf` names what a box shows (undefined: not followed). */
  constructor(
    private readonly selector: string,
    private readonly keyOf: (box: HTMLElement) => string | undefined,
  ) {}

  /** Show the end of `box` (new content arrived), unless the user scrolled it away from there. */
  show(box: HTMLElement): void {
    this.listen(box.getRootNode());
    const key = this.keyOf(box);
    if (key === undefined || this.away.has(key)) return;
    box.scrollTop = box.scrollHeight;
    this.setTo.set(box, box.scrollTop);
  }

  /** Forget where the user scrolled (another run is shown: its keys may repeat the last one's). */
  forget(): void {
    this.away.clear();
  }

  private listen(root: Node): void {
    if (root === this.root) return;
    this.root?.removeEventListener('scroll', this.onScroll, { capture: true });
    root.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    this.root = root;
  }

  private readonly onScroll = (event: Event): void => {
    const box = event.target;
    if (!(box instanceof HTMLElement) || !box.matches(this.selector) || box.scrollTop === this.setTo.get(box)) return;
    const key = this.keyOf(box);
    if (key === undefined) return;
    if (box.scrollHeight - box.scrollTop - box.clientHeight <= AT_END_SLACK) this.away.delete(key);
    else this.away.add(key);
  };
}
