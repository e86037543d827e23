/** Remembers where focus was and gives it back, if the host still holds it. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The focused element, looking inside open shadow roots. */
export function deepActiveElement(root: Document | ShadowRoot = document): Element | null {
  let active = root.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Focus return for transient UI (a prompt that takes focus, then goes away). */
export class FocusReturn implements ReactiveController {
  private target: WeakRef<HTMLElement> | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** Remember the element focused now (unless it is inside the host). */
  remember(): void {
    const active = deepActiveElement();
    this.target =
      active instanceof HTMLElement && active !== document.body && !this.owns(active) ? new WeakRef(active) : null;
  }

  /** True while an element to give focus back to is remembered (and still in the document). */
  get remembered(): boolean {
    return this.target?.deref()?.isConnected === true;
  }

  /**
   * Give focus back to the remembered element, but only if focus is inside the host (or was
   * lost to the body when the focused control went away): never steal it from elsewhere. With
   * `keep`, the element stays remembered (the host may take focus again, and give it back again).
   * Returns true when focus was given back.
   */
  restore(keep = false): boolean {
    const active = deepActiveElement();
    const target = this.target?.deref();
    if (!keep) this.target = null;
    if (active !== null && active !== document.body && !this.owns(active)) return false;
    if (!target?.isConnected) return false;
    target.focus({ preventScroll: true });
    return true;
  }

  /** True when focus is inside the host (or was just lost to the body from it). */
  holdsFocus(): boolean {
    const active = deepActiveElement();
    return active !== null && this.owns(active);
  }

  hostDisconnected(): void {
    this.target = null;
  }

  private owns(element: Element): boolean {
    return element === this.host || this.host.shadowRoot?.contains(element) === true;
  }
}
