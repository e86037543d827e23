/** Keeps a scroll container pinned to its end while new content arrives, unless the user scrolled away. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How close to the end (px) still counts as "at the end" (the view's, and a streaming box's: see BoxFollow). */
export const AT_END_SLACK = 16;
/**
 * A scroll within this long after the user's input (or their previous scroll) counts as theirs;
 * so does the first scroll after their input however late it comes (a busy page draws its next
 * frame, where scroll events are dispatched, late).
 */
const USER_SCROLL_WINDOW_MS = 1000;
const INPUT_EVENTS = ['wheel', 'touchstart', 'touchmove', 'keydown', 'pointerdown'] as const;

/**
 * Follow-the-end behaviour shared by `<token-stream>` and `<agent-log>`. Only a scroll the user
 * caused (right after their wheel, touch, key or pointer input) stops following; scrolls made by
 * layout (a virtualiser measuring rows, a resize) never do. Reaching the end again, or `jump()`,
 * resumes following. The controller listens on the scroller itself.
 *
 * For content whose size settles over several frames (a virtualiser estimating, then measuring
 * rows), `settle()` sticks to the end once per frame until the scroller holds still.
 */
export class FollowController implements ReactiveController {
  /** True while the view sticks to the end; false once the user scrolled away. */
  following = true;
  private attached: HTMLElement | null = null;
  private inputAt = Number.NEGATIVE_INFINITY;
  /** User input arrived and no frame has been drawn since: the scroll it causes comes in that frame. */
  private inputPending = false;
  private inputFrame = 0;
  private frame = 0;
  private settling: Promise<void> | null = null;
  private endSettle: () => void = () => undefined;
  /** The host is connected: a detached host (e.g. updated after it was removed) starts no frame loop. */
  private connected = false;

  /**
   * `stickOnUpdate: false` for a view whose layout keeps its end in place itself (a virtualizer
   * pinned to its last row): sticking after every update would force a layout it does not need.
   */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly scroller: () => HTMLElement | null | undefined,
    private readonly options: { readonly stickOnUpdate?: boolean } = {},
  ) {
    host.addController(this);
  }

  /** True while following is paused by `hold` (e.g. the user selects text). */
  private held = false;

  /**
   * Keep the end in view after content was added (does nothing while the user is scrolled away or
   * following is held, or when the end is already in view: a virtualiser takes any scroll it did
   * not make for the user's, even by the 1 px its own end position differs from the scroller's).
   */
  stick(): void {
    const el = this.scroller();
    if (!this.following || this.held || !el) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight > 1) el.scrollTop = el.scrollHeight;
  }

  /** The user is reading: scrolled away from the end, or following is held (e.g. they select text). Keep what they read in place. */
  get reading(): boolean {
    return !this.following || this.held;
  }

  /** Pause following the end (`true`) without leaving it, or go on (`false`: the end is shown again at once). */
  hold(held: boolean): void {
    if (held === this.held) return;
    this.held = held;
    if (!held) this.stick();
  }

  /** Stop following (the view was moved on purpose, e.g. to show an earlier row); reaching the end or `jump()` resumes. */
  release(): void {
    if (!this.following) return;
    this.following = false;
    this.endSettle();
    this.host.requestUpdate();
  }

  /** Go to the end and follow again. */
  jump(): void {
    if (!this.following) {
      this.following = true;
      this.host.requestUpdate();
    }
    const el = this.scroller();
    if (el) el.scrollTop = el.scrollHeight;
  }

  /** Resolves when a running `settle()` has finished (at once when none runs). */
  get settled(): Promise<void> {
    return this.settling ?? Promise.resolve();
  }

  /**
   * While following, stick to the end once per frame until the scroller's position, size and
   * children hold still for two frames, `drawn()` permitting (at most 120 frames). A UI loop
   * only; it stops when the page is hidden, since hidden pages draw no frames, and when the host
   * is disconnected (nor does it start for a detached host).
   */
  settle(drawn: () => boolean = () => true): void {
    if (this.settling || !this.following || !this.connected || document.visibilityState === 'hidden') return;
    let last = '';
    let still = 0;
    let frames = 0;
    const step = (): void => {
      this.stick();
      const el = this.scroller();
      const now = el ? `${el.scrollTop}|${el.scrollHeight}|${el.clientHeight}|${el.childElementCount}` : '';
      still = drawn() && now === last ? still + 1 : 0;
      last = now;
      if (!this.following || still >= 2 || ++frames > 120) this.endSettle();
      else this.frame = requestAnimationFrame(step);
    };
    this.settling = new Promise((resolve) => {
      this.endSettle = () => {
        cancelAnimationFrame(this.frame);
        this.settling = null;
        this.endSettle = () => undefined;
        resolve();
      };
    });
    this.frame = requestAnimationFrame(step);
  }

  hostConnected(): void {
    this.connected = true;
    this.attach();
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostUpdated(): void {
    // An update may run after the host was removed (removed in the task it was added in): it
    // neither listens nor scrolls then; connecting again attaches.
    if (!this.connected) return;
    this.attach();
    if (this.options.stickOnUpdate !== false) this.stick();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.detach();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.endSettle();
  }

  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'hidden') this.endSettle();
  };

  private readonly onInput = (event: Event): void => {
    this.inputAt = event.timeStamp;
    // Scroll events are dispatched in a frame before its animation frame callbacks. Input may come
    // in a frame's callbacks too (rAF-aligned wheel and touch), so wait until a whole frame has
    // dispatched its scroll events: the second frame's callbacks.
    if (!this.inputPending) {
      this.inputPending = true;
      this.inputFrame = requestAnimationFrame(() => {
        this.inputFrame = requestAnimationFrame(() => {
          this.inputPending = false;
        });
      });
    }
  };

  private readonly onScroll = (event: Event): void => {
    const el = this.attached;
    if (!el) return;
    const byUser = this.inputPending || event.timeStamp - this.inputAt < USER_SCROLL_WINDOW_MS;
    // A scrollbar drag sends no input events to the page, only scrolls: each extends the window.
    if (byUser) this.inputAt = event.timeStamp;
    // A scroll made by layout while following changes nothing: reading the geometry would force a
    // layout in the middle of the virtualizer's own work.
    if (this.following && !byUser) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_END_SLACK;
    const following = atEnd || (this.following && !byUser);
    if (following === this.following) return;
    this.following = following;
    this.host.requestUpdate();
  };

  private attach(): void {
    const el = this.scroller() ?? null;
    if (el === this.attached) return;
    this.detach();
    if (!el) return;
    for (const type of INPUT_EVENTS) el.addEventListener(type, this.onInput, { passive: true });
    el.addEventListener('scroll', this.onScroll, { passive: true });
    this.attached = el;
  }

  private detach(): void {
    cancelAnimationFrame(this.inputFrame);
    this.inputPending = false;
    const el = this.attached;
    if (!el) return;
    for (const type of INPUT_EVENTS) el.removeEventListener(type, this.onInput);
    el.removeEventListener('scroll', this.onScroll);
    this.attached = null;
  }
}
