/**
 * An incremental row model over a run's log: what `<agent-log>` renders. Append-only and
 * O(new entries) per sync; a tool call's row is updated in place when its result arrives, so a
 * paired result never shows as a row of its own.
 */
import type {
  ErrorEvent,
  InputAcceptedEvent,
  LogEvent,
  NeedInputEvent,
  StepEvent,
  ToolCallEvent,
  ToolResultEvent,
  UnknownEvent,
} from '../protocol/index.ts';
import type { AppendList, WriteOnceMap } from './append-list.ts';
import type { LogEntry, TypedError } from './state.ts';

/** One row of the agent log; `key` is the index of the log entry that created it (stable and unique). */
export type LogRow =
  | { readonly kind: 'step'; readonly key: number; readonly event: StepEvent }
  | {
      readonly kind: 'tool';
      readonly key: number;
      readonly call: ToolCallEvent;
      readonly result: ToolResultEvent | null;
    }
  | { readonly kind: 'result'; readonly key: number; readonly event: ToolResultEvent }
  | { readonly kind: 'log'; readonly key: number; readonly event: LogEvent }
  | { readonly kind: 'error'; readonly key: number; readonly event: ErrorEvent }
  | { readonly kind: 'request'; readonly key: number; readonly event: NeedInputEvent }
  | { readonly kind: 'accepted'; readonly key: number; readonly event: InputAcceptedEvent }
  | { readonly kind: 'unknown'; readonly key: number; readonly event: UnknownEvent }
  | { readonly kind: 'client_error'; readonly key: number; readonly error: TypedError };

/** The kind of a log row. */
export type LogRowKind = LogRow['kind'];

/** What a sync changed: nothing, rows appended and/or call rows updated, or everything rebuilt (a new log, e.g. from a snapshot). */
export type LogRowsChange = 'none' | 'changed' | 'reset';

/**
 * Rows of one log, kept in step with successive views of its `AppendList`.
 *
 * Two row buffers are kept identical and `rows` alternates between them on every change, so a
 * view that compares arrays by identity (the Lit virtualizer does) sees each change without an
 * O(n) copy.
 */
export class LogRows {
  private buffers: [LogRow[], LogRow[]] = [[], []];
  private front = 0;
  private consumed = 0;
  private lastEntry: LogEntry | undefined;
  /** Row index of each tool call by call_id. */
  private calls = new Map<string, number>();

  /** The current rows, oldest first. A new array object after every sync that changed something. */
  get rows(): readonly LogRow[] {
    return this.buffers[this.front]!;
  }

  /** Number of log entries consumed so far. */
  get entries(): number {
    return this.consumed;
  }

  /**
   * Bring the rows up to date with `log` (and `results`, the store's call_id → result pairing).
   * O(entries appended since the last sync). A log that is not a continuation of the previous
   * one (shorter, or a different entry where the last consumed one was) is rebuilt from scratch.
   */
  sync(log: AppendList<LogEntry>, results: WriteOnceMap<string, ToolResultEvent>): LogRowsChange {
    let reset = false;
    if (log.length < this.consumed || (this.consumed > 0 && log.at(this.consumed - 1) !== this.lastEntry)) {
      this.buffers = [[], []];
      this.calls.clear();
      this.consumed = 0;
      this.lastEntry = undefined;
      reset = true;
    }
    if (log.length === this.consumed) {
      if (!reset) return 'none';
      this.front = 1 - this.front;
      return 'reset';
    }
    // Apply to the back buffer, then to the front one (which becomes the back), then swap.
    const back = 1 - this.front;
    const start = this.consumed;
    for (const target of [back, this.front]) {
      const rows = this.buffers[target]!;
      for (let i = start; i < log.length; i++) this.apply(rows, log.at(i)!, i, results, target === back);
    }
    this.front = back;
    this.consumed = log.length;
    this.lastEntry = log.at(log.length - 1);
    return reset ? 'reset' : 'changed';
  }

  /** Apply one entry to one buffer; `index` bookkeeping (call positions) is written once, on the first buffer. */
  private apply(
    rows: LogRow[],
    entry: LogEntry,
    key: number,
    results: WriteOnceMap<string, ToolResultEvent>,
    first: boolean,
  ): void {
    if (entry.kind === 'client_error') {
      rows.push({ kind: 'client_error', key, error: entry.error });
      return;
    }
    const event = entry.event;
    switch (event.type) {
      case 'tool_call':
        if (first && event.call_id !== undefined && !this.calls.has(event.call_id))
          this.calls.set(event.call_id, rows.length);
        rows.push({ kind: 'tool', key, call: event, result: null });
        return;
      case 'tool_result': {
        const at = event.call_id === undefined ? undefined : this.calls.get(event.call_id);
        const row = at === undefined ? undefined : rows[at];
        if (row?.kind === 'tool' && row.result === null && results.get(event.call_id!) === event) {
          rows[at!] = { ...row, result: event };
        } else {
          rows.push({ kind: 'result', key, event });
        }
        return;
      }
      case 'step':
        rows.push({ kind: 'step', key, event });
        return;
      case 'log':
        rows.push({ kind: 'log', key, event });
        return;
      case 'error':
        rows.push({ kind: 'error', key, event });
        return;
      case 'need_input':
        rows.push({ kind: 'request', key, event });
        return;
      case 'input_accepted':
        rows.push({ kind: 'accepted', key, event });
        return;
      case 'unknown':
        rows.push({ kind: 'unknown', key, event });
        return;
    }
  }
}
