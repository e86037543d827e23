/** Tells its host while the user has text selected inside one of its elements (e.g. to stop following the end). */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Follows `selectionchange` while the host is connected and reports, on every change, whether a
 * non-empty selection starts or ends inside `container()` (in the host's shadow root too, read
 * through `Selection.getComposedRanges`).
 */
export class SelectionHold implements ReactiveController {
  /** True while text is selected inside the container. */
  held = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly container: () => HTMLElement | null | undefined,
    private readonly onChange: (held: boolean) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('selectionchange', this.check);
  }

  hostDisconnected(): void {
    document.removeEventListener('selectionchange', this.check);
    this.set(false);
  }

  private readonly check = (): void => {
    this.set(this.selectedInside());
  };

  private set(held: boolean): void {
    if (held === this.held) return;
    this.held = held;
    this.onChange(held);
  }

  private selectedInside(): boolean {
    const container = this.container();
    const selection = document.getSelection();
    if (!container || !selection || selection.isCollapsed || selection.rangeCount === 0) return false;
    const root = this.host.shadowRoot;
    const ranges =
      root && typeof selection.getComposedRanges === 'function'
        ? selection.getComposedRanges({ shadowRoots: [root] })
        : [selection.getRangeAt(0)];
    return ranges.some(
      (range) =>
        !range.collapsed && (container.contains(range.startContainer) || container.contains(range.endContainer)),
    );
  }
}
