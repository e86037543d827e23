/**
 * A connection's cursor over a run's kept events: replays what exists after `after`, then
 * follows live events, honouring backpressure and the connection's fault switches. Shared by
 * SSE and WebSocket (both dialects).
 */
import type { RunEvent } from '../src/protocol/index.ts';
import type { Faults } from './faults.ts';
import { STREAM_BATCH_SIZE } from './limits.ts';
import type { Run } from './run.ts';
import type { StoredEvent } from './stored-event.ts';

/** Where a feed writes: one connection. */
export interface FeedSink {
  /** Queue one event. */
  write(record: StoredEvent): void;
  /** Queue one deliberately malformed frame (`fault_malformed`). */
  writeMalformed(): void;
  /** Push what was queued; false when the transport is backed up (the feed then waits for `onDrain`). */
  flush(): boolean;
  /** Call `resume` once, when the transport can take more. */
  onDrain(resume: () => void): void;
  /** Cut the connection abruptly once what was written reached the socket (`fault_close_after`). */
  abort(): void;
  /** The run finished and every event was sent: end the connection normally. */
  complete(): void;
}

/** Settings of one feed. */
export interface FeedOptions {
  /** Start after this seq. */
  after: number;
  /** Only events passing this go out (e.g. the token plane). */
  filter?: ((event: RunEvent) => boolean) | undefined;
  /** The connection's active faults. */
  faults: Faults;
}

/** One connection's cursor over one run. */
export class EventFeed {
  private cursor: number;
  private sent = 0;
  /** Events sent since the last `fault_delay` pause (a pause is due once it reaches `burst`). */
  private sinceDelay: number;
  private gapMade = false;
  private started = false;
  private stopped = false;
  private blocked = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly run: Run,
    private readonly sink: FeedSink,
    private readonly options: FeedOptions,
  ) {
    this.cursor = Math.max(0, options.after);
    this.sinceDelay = options.faults.burst;
  }

  /** True when the run finished and nothing is left to send after `after` (so the connection would end at once). */
  static exhausted(run: Run, after: number, filter?: (event: RunEvent) => boolean): boolean {
    if (!run.finished) return false;
    for (let i = Math.max(0, after); i < run.events.length; i++) {
      if (!filter || filter(run.events[i]!.event)) return false;
    }
    return true;
  }

  /** Start sending. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.unsubscribe = this.run.subscribe(() => this.pump());
    const { closeAfter, malformedAfter } = this.options.faults;
    if (malformedAfter === 0) this.malformed();
    if (closeAfter === 0) {
      this.cut();
      return;
    }
    this.pump();
  }

  /** Send again everything after `seq` (the WebSocket `resume` command). */
  rewind(seq: number): void {
    this.cursor = Math.max(0, seq);
    this.pump();
  }

  /** Stop for good (connection closed); the run goes on. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
  }

  private pump(): void {
    if (this.stopped || this.blocked || !this.started) return;
    const { filter, faults } = this.options;
    const events = this.run.events;
    const size = faults.reorder ?? 1;
    let batch = 0;
    while (this.cursor < events.length) {
      // The next window: up to `size` events that pass the filter and exist now (one without fault_reorder).
      const window: StoredEvent[] = [];
      let end = this.cursor;
      while (end < events.length && window.length < size) {
        const record = events[end++]!;
        if (!filter || filter(record.event)) window.push(record);
      }
      if (window.length === 0) {
        this.cursor = end;
        continue;
      }
      if (faults.delayMs > 0 && this.sinceDelay >= faults.burst) {
        this.pause(faults.delayMs);
        return;
      }
      this.cursor = end;
      if (window.length > 1) {
        window.reverse();
        this.run.countFault('reorder');
      }
      for (const record of window) if (!this.send(record)) return;
      batch += window.length;
      if (batch >= STREAM_BATCH_SIZE) {
        this.block();
        if (this.sink.flush()) {
          this.immediate = setImmediate(() => {
            this.immediate = undefined;
            this.unblock();
          });
        } else {
          this.sink.onDrain(() => this.unblock());
        }
        return;
      }
    }
    const drained = this.sink.flush();
    // Only a finished run completes a connection; a run stopped by a shutdown never ends one cleanly.
    if (this.run.finished && this.cursor >= events.length) {
      this.stop();
      this.sink.complete();
      return;
    }
    if (!drained) {
      this.block();
      this.sink.onDrain(() => this.unblock());
    }
  }

  /** Write one event with the per-event faults; false when the connection was cut. */
  private send(record: StoredEvent): boolean {
    const { faults } = this.options;
    if (faults.gapAfter !== undefined && !this.gapMade && this.sent === faults.gapAfter) {
      this.gapMade = true;
      this.run.countFault('gap');
      return true;
    }
    this.sent++;
    this.sinceDelay++;
    this.sink.write(record);
    if (faults.duplicateEvery !== undefined && this.sent % faults.duplicateEvery === 0) {
      this.sink.write(record);
      this.run.countFault('duplicate');
    }
    if (faults.closeAfter !== undefined && this.sent >= faults.closeAfter) {
      this.cut();
      return false;
    }
    if (faults.malformedAfter !== undefined && this.sent === faults.malformedAfter) this.malformed();
    return true;
  }

  /** `fault_delay`: flush, then hold everything for `ms`. */
  private pause(ms: number): void {
    this.sink.flush();
    this.block();
    this.run.countFault('delay');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sinceDelay = 0;
      this.unblock();
    }, ms);
  }

  private malformed(): void {
    this.sink.writeMalformed();
    this.run.countFault('malformed');
  }

  /** `fault_close_after`: push what was written, then cut the connection abruptly. */
  private cut(): void {
    this.sink.flush();
    this.stop();
    this.sink.abort();
    this.run.countFault('close_after');
  }

  private block(): void {
    this.blocked = true;
  }

  private unblock(): void {
    this.blocked = false;
    this.pump();
  }
}
