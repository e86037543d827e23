/**
 * The user's messages shown before a run shows them (`Conversation.$pending`) in `<token-stream>`:
 * a message being sent or that failed goes after everything shown; one whose run started is the
 * first turn of that run's content (above the answer) until the server's own user turn replaces
 * it. Each is rendered once per status; the live run's append path is not touched.
 */
import type { PendingTurn } from '../../run/conversation.ts';

/** Places the pending turns of a conversation. */
export class PendingView {
  private readonly shown = new Map<string, { status: PendingTurn['status']; element: HTMLElement }>();

  constructor(
    /** Makes the element of one pending turn (a user turn, marked with its status). */
    private readonly render: (turn: PendingTurn) => HTMLElement,
  ) {}

  /** Show `turns`: `sent` ones of `runId` at the top of `content`, the others at the end of `viewport`. */
  sync(turns: readonly PendingTurn[], runId: string | undefined, content: HTMLElement, viewport: HTMLElement): void {
    const keys = new Set(turns.map((t) => t.key));
    for (const [key, { element }] of this.shown) {
      if (keys.has(key)) continue;
      element.remove();
      this.shown.delete(key);
    }
    let top: ChildNode | null = content.firstChild;
    for (const turn of turns) {
      let entry = this.shown.get(turn.key);
      if (entry?.status !== turn.status) {
        entry?.element.remove();
        entry = { status: turn.status, element: this.render(turn) };
        this.shown.set(turn.key, entry);
      }
      const { element } = entry;
      if (turn.status === 'sent' && turn.runId === runId) {
        if (element !== top) content.insertBefore(element, top);
        top = element.nextSibling;
      } else if (element.parentNode !== viewport || element.nextSibling !== null) {
        viewport.append(element);
      }
    }
  }

  /** Forget what is shown (rendered again at the next sync). */
  clear(): void {
    for (const { element } of this.shown.values()) element.remove();
    this.shown.clear();
  }
}
