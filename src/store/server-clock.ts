/**
 * The server's clock as this client reads it. Deadlines (`expires_at`) are on the server's clock,
 * and a client's clock may be minutes off: compared with `Date.now()`, a request would show
 * expired at once on a client ahead of the server, or still open after the server stopped taking
 * answers on one behind it. Every stamp the server sends (an event's `at`, a snapshot's
 * `server_time`) is the server's time when it sent it; that minus the client's time when it
 * arrived is the clocks' offset minus the stamp's trip. The largest of these is the best estimate
 * (the quickest trip; a stamp replayed long after it was made, from a log or a resume, only reads
 * lower). Without any stamp the offset is 0: the client's clock is taken for the server's.
 */

/** Read access to the estimate of the server's clock. */
export interface ServerClockView {
  /** The server's time minus this client's, ms (0 until the server sent a stamp). */
  readonly offset: number;
  /** The server's time now, ms since the epoch (the client's clock plus `offset`). */
  now(): number;
}

/** The estimate, fed with the server's stamps as they arrive. */
export class ServerClock implements ServerClockView {
  offset = 0;
  private sampled = false;

  /** `clientNow`: the client's clock (ms since the epoch). */
  constructor(private readonly clientNow: () => number = Date.now) {}

  /** A stamp from the server (ISO 8601; undefined when it sent none) arrived just now. */
  stamp(at: string | undefined): void {
    if (at === undefined) return;
    const time = Date.parse(at);
    if (Number.isNaN(time)) return;
    const offset = time - this.clientNow();
    if (!this.sampled || offset > this.offset) this.offset = offset;
    this.sampled = true;
  }

  now(): number {
    return this.clientNow() + this.offset;
  }
}
