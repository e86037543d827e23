/**
 * A connection's cursor over a run: replays what exists after its cursor, then follows live
 * events, honouring the connection's backpressure. The log is the buffer: a slow client makes
 * the feed read less often and write bigger batches (many events per write), never makes the
 * server queue its events in memory. Shared by SSE and WebSocket of every dialect. A tap (the
 * mock server's faults) may reshape what goes out.
 */
import type { LogTail } from '../log.ts';
import { STREAM_BATCH_SIZE } from '../limits.ts';
import type { StoredEvent } from '../stored-event.ts';
import { coalesceTokens } from './coalesce.ts';

/** Text that is not an event, written where one would go (e.g. a deliberately malformed frame), per channel. */
export interface RawFrames {
  /** As an SSE frame. */
  readonly sse: string;
  /** As a WebSocket message. */
  readonly message: string;
  /** As an item of an events page (JSON text). */
  readonly pageItem: string;
}

/** What a tap writes to. */
export interface TapOutput {
  /** Send one event. */
  write(record: StoredEvent): void;
  /** Send text that is not an event. */
  writeRaw(raw: RawFrames): void;
  /** Cut the connection abruptly after what was written (an events page ends here). */
  cut(): void;
  /** Hold everything for `ms` (ignored by an events page). */
  pause(ms: number): void;
}

/** Reshapes the events of one connection before they go out. */
export interface FeedTap {
  /** Once, before the first event. */
  start?(out: TapOutput): void;
  /**
   * Shape `records` (the events available now, in order, already filtered) into `out`; return
   * how many were consumed: the rest come again on the next call.
   */
  process(records: readonly StoredEvent[], out: TapOutput): number;
}

/** Where a feed writes: one connection. */
export interface FeedSink {
  /** Queue one event. */
  write(record: StoredEvent): void;
  /** Queue text that is not an event. */
  writeRaw(raw: RawFrames): void;
  /** Push what was queued; false when the connection is backed up (the feed then waits for `onDrain`). */
  flush(): boolean;
  /** Call `resume` once, when the connection can take more. */
  onDrain(resume: () => void): void;
  /** Cut the connection abruptly once what was written reached it. */
  abort(): void;
  /** The run finished and every event was sent: end the connection normally. */
  complete(): void;
  /** The log failed: end the connection so that the client retries elsewhere or later. */
  fail(error: Error): void;
}

/** Settings of one feed. */
export interface FeedOptions {
  /** Only events passing this go out (e.g. the token plane). */
  readonly filter?: ((record: StoredEvent) => boolean) | undefined;
  /** Reshapes what goes out. */
  readonly tap?: FeedTap | undefined;
}

/** One connection's cursor over one run. */
export class EventFeed {
  private started = false;
  private stopped = false;
  private blocked = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private yielded: ReturnType<typeof setTimeout> | undefined;
  private readonly out: TapOutput;
  private outcome: 'go' | 'cut' | 'pause' = 'go';
  /**
   * Set when the connection stopped draining (the feed waited for it) and until the feed caught
   * up with the log: meanwhile consecutive tokens go out coalesced (`seq_end`).
   */
  private behind = false;
  private pauseMs = 0;

  constructor(
    private readonly tail: LogTail,
    private readonly sink: FeedSink,
    private readonly options: FeedOptions = {},
  ) {
    this.out = {
      write: (record) => this.sink.write(record),
      writeRaw: (raw) => this.sink.writeRaw(raw),
      cut: () => {
        this.outcome = 'cut';
      },
      pause: (ms) => {
        this.outcome = 'pause';
        this.pauseMs = ms;
      },
    };
  }

  /** Start sending. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.options.tap?.start?.(this.out);
    if (this.settleOutcome()) return;
    this.pump();
  }

  /** Send again everything after `seq` (the WebSocket `resume` command). */
  rewind(seq: number): void {
    this.tail.seek(seq);
    this.pump();
  }

  /** Stop for good (the connection closed); the run goes on. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.tail.close();
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.yielded !== undefined) clearTimeout(this.yielded);
  }

  private pump(): void {
    if (this.stopped || this.blocked || !this.started) return;
    const { filter, tap } = this.options;
    let sent = 0;
    for (;;) {
      const records = this.tail.peek(STREAM_BATCH_SIZE);
      if (records.length === 0) {
        this.behind = false;
        break;
      }
      const passing = filter ? records.filter(filter) : records;
      let consumedTo = records.at(-1)!.seq;
      if (tap) {
        const consumed = tap.process(passing, this.out);
        // Records the tap left (a pause mid-batch, a cut) come again; skipped (filtered) ones before them do not.
        if (consumed < passing.length) consumedTo = passing[consumed]!.seq - 1;
      } else {
        for (const record of this.behind && passing.length > 1 ? coalesceTokens(passing) : passing)
          this.sink.write(record);
      }
      this.tail.seek(consumedTo);
      sent += passing.length;
      if (this.settleOutcome()) return;
      if (sent >= STREAM_BATCH_SIZE) {
        // Yield to other connections: go on next turn, or when the connection drained.
        this.blocked = true;
        if (this.sink.flush()) {
          this.yielded = setTimeout(() => {
            this.yielded = undefined;
            this.unblock();
          }, 0);
        } else {
          this.behind = true;
          this.sink.onDrain(() => this.unblock());
        }
        return;
      }
    }
    const drained = this.sink.flush();
    if (this.tail.error) {
      this.stop();
      this.sink.fail(this.tail.error);
      return;
    }
    if (this.tail.finished) {
      this.stop();
      this.sink.complete();
      return;
    }
    if (!drained) {
      this.blocked = true;
      this.behind = true;
      this.sink.onDrain(() => this.unblock());
      return;
    }
    this.tail.onReady(() => this.pump());
  }

  /** Act on a tap's cut or pause; true when the pump must stop here. */
  private settleOutcome(): boolean {
    const outcome = this.outcome;
    if (outcome === 'go') return false;
    this.outcome = 'go';
    this.sink.flush();
    if (outcome === 'cut') {
      this.stop();
      this.sink.abort();
      return true;
    }
    this.blocked = true;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.unblock();
    }, this.pauseMs);
    return true;
  }

  private unblock(): void {
    this.blocked = false;
    this.pump();
  }
}
