/**
 * The earlier turns of a conversation in `<token-stream>` (`part="history"`, above the live
 * run): each turn is rendered once, whole, when it joins the history; nothing shown is rendered
 * again while turns are added. A history that is not a continuation (another conversation) is
 * rendered anew.
 */
import type { Turn } from '../../store/index.ts';

/** Renders the turns of a history into a container. */
export class HistoryView {
  private shown: readonly Turn[] = [];

  constructor(
    private readonly container: HTMLElement,
    /** Makes the element of one turn. */
    private readonly render: (turn: Turn) => HTMLElement,
  ) {}

  /** Show `turns`: append the new ones (O(new turns) when it continues what is shown). */
  sync(turns: readonly Turn[]): void {
    if (turns === this.shown) return;
    const continues = this.shown.length <= turns.length && this.shown.every((t, i) => t.key === turns[i]!.key);
    if (!continues) this.container.replaceChildren();
    for (let i = continues ? this.shown.length : 0; i < turns.length; i++)
      this.container.append(this.render(turns[i]!));
    this.shown = turns;
  }

  /** Forget what is shown (rendered again at the next sync). */
  clear(): void {
    this.container.replaceChildren();
    this.shown = [];
  }
}
