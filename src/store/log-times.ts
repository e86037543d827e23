/**
 * When the client applied each log entry: kept beside the log, never inside its events, so a
 * state still equals the server's snapshot. Elements show it where the server sent no `at`.
 */
import type { AppendList } from './append-list.ts';
import type { LogEntry } from './state.ts';

/** Read access to the client-side times of a run's log entries. */
export interface LogTimesView {
  /** When the client applied log entry `index`, ms since the epoch; undefined when unknown (e.g. rebuilt from a snapshot). */
  at(index: number): number | undefined;
  /** Number of entries with a slot (known or not). */
  readonly length: number;
}

/** Client-side receipt times of log entries, by log index (two numbers per entry). */
export class LogTimes implements LogTimesView {
  private times = new Float64Array(256);
  /** The seq of each entry (NaN for client errors and unsequenced events), to carry times across a rebuild. */
  private seqs = new Float64Array(256);
  private count = 0;

  /** Number of entries with a slot. */
  get length(): number {
    return this.count;
  }

  /** When the client applied entry `index`, or undefined. */
  at(index: number): number | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const time = this.times[index]!;
    return Number.isNaN(time) ? undefined : time;
  }

  /** Record `now` for the entries of `log` from `from` on (those just appended). O(new entries). */
  record(log: AppendList<LogEntry>, from: number, now: number): void {
    this.reserve(log.length);
    for (let i = Math.max(from, this.count); i < log.length; i++) {
      this.times[i] = now;
      this.seqs[i] = seqOf(log.at(i));
    }
    this.count = Math.max(this.count, log.length);
  }

  /**
   * The log was rebuilt (a snapshot): entries the client had already applied keep their times
   * (matched by seq); the others get none (the client never saw them arrive). O(entries).
   */
  rebuild(log: AppendList<LogEntry>): void {
    const known = new Map<number, number>();
    for (let i = 0; i < this.count; i++) {
      const seq = this.seqs[i]!;
      if (!Number.isNaN(seq) && !Number.isNaN(this.times[i]!)) known.set(seq, this.times[i]!);
    }
    this.count = 0;
    this.reserve(log.length);
    for (let i = 0; i < log.length; i++) {
      const seq = seqOf(log.at(i));
      this.seqs[i] = seq;
      this.times[i] = known.get(seq) ?? Number.NaN;
    }
    this.count = log.length;
  }

  /** Forget everything. */
  clear(): void {
    this.count = 0;
  }

  private reserve(size: number): void {
    if (size <= this.times.length) return;
    let capacity = this.times.length;
    while (capacity < size) capacity *= 2;
    const times = new Float64Array(capacity);
    times.set(this.times.subarray(0, this.count));
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs.subarray(0, this.count));
    this.times = times;
    this.seqs = seqs;
  }
}

function seqOf(entry: LogEntry | undefined): number {
  return entry?.kind === 'event' ? (entry.event.seq ?? Number.NaN) : Number.NaN;
}
