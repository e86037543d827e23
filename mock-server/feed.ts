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
  private started = false;
  private stopped = false;
  private blocked = false;
  private delayPassed = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly run: Run,
    private readonly sink: FeedSink,
    private readonly options: FeedOptions,
  ) {
    this.cursor = Math.max(0, options.after);
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
    if (malformedAfter === 0) this.sink.writeMalformed();
    if (closeAfter === 0) {
      this.sink.flush();
      this.stop();
      this.sink.abort();
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
    let batch = 0;
    while (this.cursor < events.length) {
      const record = events[this.cursor]!;
      if (filter && !filter(record.event)) {
        this.cursor++;
        continue;
      }
      if (faults.delayMs > 0 && !this.delayPassed) {
        this.sink.flush();
        this.block();
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.delayPassed = true;
          this.unblock();
        }, faults.delayMs);
        return;
      }
      this.delayPassed = false;
      this.cursor++;
      this.sent++;
      this.sink.write(record);
      if (faults.duplicateEvery !== undefined && this.sent % faults.duplicateEvery === 0) this.sink.write(record);
      if (faults.closeAfter !== undefined && this.sent >= faults.closeAfter) {
        this.sink.flush();
        this.stop();
        this.sink.abort();
        return;
      }
      if (faults.malformedAfter !== undefined && this.sent === faults.malformedAfter) this.sink.writeMalformed();
      if (++batch >= STREAM_BATCH_SIZE) {
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

  private block(): void {
    this.blocked = true;
  }

  private unblock(): void {
    this.blocked = false;
    this.pump();
  }
}
