/** A UI clock for deadlines: re-renders its host once a second until the deadline passes. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Ticks while a deadline is tracked and the host is connected; `now` is the time of the last tick.
 * Times are on the clock `read` reads (the server's, for a deadline the server set; the client's
 * by default).
 */
export class CountdownController implements ReactiveController {
  /** Time of the last tick, ms since the epoch. */
  now: number;
  private deadline: number | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Reads the clock deadlines are on (ms since the epoch). */
    readonly read: () => number = Date.now,
  ) {
    this.now = read();
    host.addController(this);
  }

  /** Count down to `deadline` (ms since the epoch); null stops. */
  track(deadline: number | null): void {
    if (deadline === this.deadline) return;
    this.deadline = deadline;
    this.now = this.read();
    this.schedule();
  }

  /** Each update reads the clock again (what it reads may have changed: a new server stamp). */
  hostUpdate(): void {
    this.now = this.read();
  }

  hostConnected(): void {
    this.connected = true;
    this.now = this.read();
    this.schedule();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.connected || this.deadline === null || this.now >= this.deadline) return;
    // Tick when the displayed (rounded-up) second changes.
    const delay = (this.deadline - this.now) % 1000 || 1000;
    this.timer = setTimeout(() => {
      this.now = this.read();
      this.host.requestUpdate();
      this.schedule();
    }, delay);
  }
}
