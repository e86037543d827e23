/** Runs work requested any number of times in a frame once, in the next animation frame. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Coalesces requests (e.g. a store reporting each entry of a live stream, one per task) into one
 * call of `flush` per animation frame, while the host is connected. Hidden pages draw no frames:
 * what was requested there runs once when the page is shown again. Cancelled when the host is
 * disconnected.
 */
export class FrameController implements ReactiveController {
  private frame = 0;
  private done: Promise<void> | null = null;
  private endDone: () => void = () => undefined;

  constructor(
    private readonly host: ReactiveControllerHost & { readonly isConnected: boolean },
    private readonly flush: () => void,
  ) {
    host.addController(this);
  }

  /** True while a frame is scheduled. */
  get pending(): boolean {
    return this.frame !== 0;
  }

  /** Resolves once the scheduled frame ran or was cancelled (at once when none is scheduled). */
  get flushed(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  /** Call `flush` in the next animation frame (once, however often this is called before it). */
  schedule(): void {
    if (this.frame !== 0 || !this.host.isConnected) return;
    this.done = new Promise((resolve) => (this.endDone = resolve));
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.settle();
      this.flush();
    });
  }

  /** Drop the scheduled frame, if any (e.g. the work is being done now anyway). */
  cancel(): void {
    if (this.frame === 0) return;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.settle();
  }

  hostDisconnected(): void {
    this.cancel();
  }

  private settle(): void {
    this.done = null;
    this.endDone();
    this.endDone = () => undefined;
  }
}
