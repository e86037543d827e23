/**
 * An incremental row index over a run's log: what `<agent-log>` renders. One row per step (its
 * `started` entry, finished or failed in place), per tool call (its streamed placeholder, the
 * complete call and its result, in place), per request for input (its answer, in place), and one
 * per other entry. Rows are numbered; what a row shows is read from the log entries it points at.
 *
 * Kept in typed arrays (no object per row): a sync is O(entries appended since the last one), and
 * 100,000 entries cost a few hundred kilobytes. Rows opened while a step is open belong to it (its
 * group); steps nest.
 */
import type { AppendList } from './append-list.ts';
import type { LogEntry } from './state.ts';

/** What a row shows. */
export const ROW_KINDS = [
  'step',
  'tool',
  'result',
  'log',
  'error',
  'request',
  'accepted',
  'unknown',
  'client_error',
] as const;
/** The kind of a log row. */
export type LogRowKind = (typeof ROW_KINDS)[number];

/** The level a row is filtered by: -1 for rows always shown (steps, tools, requests), else debug 0 … error 3. */
export const ALWAYS_SHOWN = -1;
/** Levels of log lines, as numbers (debug 0 … error 3). */
export const LEVEL_RANK = { debug: 0, info: 1, warn: 2, error: 3 } as const;

/** What a sync changed: nothing, rows appended and/or updated in place, or everything rebuilt (a new log, e.g. from a snapshot). */
export type LogRowsChange = 'none' | 'changed' | 'reset';

const KIND_CODE: Readonly<Record<LogRowKind, number>> = Object.fromEntries(ROW_KINDS.map((k, i) => [k, i])) as Record<
  LogRowKind,
  number
>;

/** The open steps, innermost last. */
interface OpenStep {
  readonly name: string;
  readonly row: number;
}

/** The rows of one log, kept in step with successive views of its `AppendList`. */
export class LogIndex {
  private kinds = new Uint8Array(256);
  private levels = new Int8Array(256);
  private entries = new Int32Array(256);
  private latests = new Int32Array(256);
  private ends = new Int32Array(256);
  private parents = new Int32Array(256);
  private depths = new Uint16Array(256);
  private sizes = new Int32Array(256);
  private rows = 0;
  private consumed = 0;
  private lastEntry: LogEntry | undefined;
  private calls = new Map<string, number>();
  private requests = new Map<string, number>();
  private approvals = new Map<string, string>();
  private steps: OpenStep[] = [];

  /** Number of rows. */
  get count(): number {
    return this.rows;
  }

  /** Number of log entries consumed so far. */
  get consumedEntries(): number {
    return this.consumed;
  }

  /** What row `row` shows. */
  kind(row: number): LogRowKind {
    return ROW_KINDS[this.kinds[row]!]!;
  }

  /** The log index of the entry that opened the row: its stable, unique key. */
  entry(row: number): number {
    return this.entries[row]!;
  }

  /** The log index of the newest entry of the row's own kind (a tool call completed after its streamed placeholder); `entry` otherwise. */
  latest(row: number): number {
    return this.latests[row]!;
  }

  /** The log index of the entry that closed the row (a tool result, an answer, a step's end), or -1. */
  end(row: number): number {
    return this.ends[row]!;
  }

  /** The row of the step the row belongs to, or -1. */
  parent(row: number): number {
    return this.parents[row]!;
  }

  /** How many steps the row is nested in. */
  depth(row: number): number {
    return this.depths[row]!;
  }

  /** The level the row is filtered by (ALWAYS_SHOWN, or a LEVEL_RANK). */
  level(row: number): number {
    return this.levels[row]!;
  }

  /** Rows inside a step row (all depths); 0 for other rows. */
  size(row: number): number {
    return this.sizes[row]!;
  }

  /** The row of the tool call `callId`, or -1. */
  rowOfCall(callId: string): number {
    return this.calls.get(callId) ?? -1;
  }

  /** The resume token of the (first) request about tool call `callId` (its approval), or undefined. */
  approvalOf(callId: string): string | undefined {
    return this.approvals.get(callId);
  }

  /** The row of the request `resumeToken`, or -1. */
  rowOfRequest(resumeToken: string): number {
    return this.requests.get(resumeToken) ?? -1;
  }

  /**
   * Bring the rows up to date with `log`. O(entries appended since the last sync). A log that is
   * not a continuation of the previous one (shorter, or a different entry where the last consumed
   * one was) is indexed again from scratch.
   */
  sync(log: AppendList<LogEntry>): LogRowsChange {
    let reset = false;
    if (log.length < this.consumed || (this.consumed > 0 && log.at(this.consumed - 1) !== this.lastEntry)) {
      this.rows = 0;
      this.consumed = 0;
      this.lastEntry = undefined;
      this.calls = new Map();
      this.requests = new Map();
      this.approvals = new Map();
      this.steps = [];
      reset = true;
    }
    if (log.length === this.consumed) return reset ? 'reset' : 'none';
    this.reserve(this.rows + log.length - this.consumed);
    for (let i = this.consumed; i < log.length; i++) this.add(log.at(i)!, i);
    this.consumed = log.length;
    this.lastEntry = log.at(log.length - 1);
    return reset ? 'reset' : 'changed';
  }

  private add(entry: LogEntry, index: number): void {
    if (entry.kind === 'client_error') {
      this.open('client_error', index, LEVEL_RANK.error);
      return;
    }
    const event = entry.event;
    switch (event.type) {
      case 'step': {
        if (event.state === 'finished' || event.state === 'failed') {
          let at = this.steps.length - 1;
          while (at >= 0 && this.steps[at]!.name !== event.name) at--;
          if (at >= 0) {
            this.ends[this.steps[at]!.row] = index;
            this.steps.length = at;
            return;
          }
        }
        const row = this.open('step', index, ALWAYS_SHOWN);
        if (event.state === 'started') this.steps.push({ name: event.name, row });
        return;
      }
      case 'tool_call': {
        const id = event.call_id;
        const known = id === undefined ? undefined : this.calls.get(id);
        if (known !== undefined && this.ends[known] === -1) {
          this.latests[known] = index;
          return;
        }
        const row = this.open('tool', index, ALWAYS_SHOWN);
        if (id !== undefined) this.calls.set(id, row);
        return;
      }
      case 'tool_result': {
        const row = event.call_id === undefined ? undefined : this.calls.get(event.call_id);
        if (row !== undefined && this.ends[row] === -1) this.ends[row] = index;
        else this.open('result', index, ALWAYS_SHOWN);
        return;
      }
      case 'need_input': {
        const row = this.open('request', index, ALWAYS_SHOWN);
        if (!this.requests.has(event.resume_token)) this.requests.set(event.resume_token, row);
        if (event.tool_call_id !== undefined && !this.approvals.has(event.tool_call_id))
          this.approvals.set(event.tool_call_id, event.resume_token);
        return;
      }
      case 'input_accepted': {
        const row = this.requests.get(event.resume_token);
        if (row !== undefined && this.ends[row] === -1) this.ends[row] = index;
        else this.open('accepted', index, ALWAYS_SHOWN);
        return;
      }
      case 'log':
        this.open('log', index, LEVEL_RANK[event.level]);
        return;
      case 'error':
        this.open('error', index, LEVEL_RANK.error);
        return;
      case 'unknown':
        this.open('unknown', index, LEVEL_RANK.debug);
        return;
    }
  }

  /** A new row for entry `index`, inside the innermost open step. */
  private open(kind: LogRowKind, index: number, level: number): number {
    const row = this.rows++;
    const parent = this.steps.at(-1)?.row ?? -1;
    this.kinds[row] = KIND_CODE[kind];
    this.levels[row] = level;
    this.entries[row] = index;
    this.latests[row] = index;
    this.ends[row] = -1;
    this.parents[row] = parent;
    this.depths[row] = parent < 0 ? 0 : this.depths[parent]! + 1;
    this.sizes[row] = 0;
    for (let p = parent; p >= 0; p = this.parents[p]!) this.sizes[p]!++;
    return row;
  }

  private reserve(size: number): void {
    if (size <= this.kinds.length) return;
    let capacity = this.kinds.length;
    while (capacity < size) capacity *= 2;
    const grow = <A extends Uint8Array | Int8Array | Int32Array | Uint16Array>(
      array: A,
      make: new (n: number) => A,
    ): A => {
      const next = new make(capacity);
      next.set(array.subarray(0, this.rows));
      return next;
    };
    this.kinds = grow(this.kinds, Uint8Array);
    this.levels = grow(this.levels, Int8Array);
    this.entries = grow(this.entries, Int32Array);
    this.latests = grow(this.latests, Int32Array);
    this.ends = grow(this.ends, Int32Array);
    this.parents = grow(this.parents, Int32Array);
    this.depths = grow(this.depths, Uint16Array);
    this.sizes = grow(this.sizes, Int32Array);
  }
}

/**
 * The rows a view shows, by row number: every row, or those that pass a level filter and are not
 * inside a collapsed step. Two arrays are kept identical and `items` alternates between them on
 * every change, so a view that compares arrays by identity (the Lit virtualizer does) sees each
 * change without an O(n) copy. Appending is O(new rows); changing the filter is O(rows).
 */
export class VisibleRows {
  private buffers: [number[], number[]] = [[], []];
  private front = 0;
  private seen = 0;
  private minLevel = 0;
  private collapsed: ReadonlySet<number> = new Set();
  private stale = false;

  /** The row numbers shown, in order. A new array object after every sync that changed it. */
  get items(): readonly number[] {
    return this.buffers[this.front]!;
  }

  /** Show only rows of at least `minLevel` (LEVEL_RANK; rows ALWAYS_SHOWN pass) outside the steps (by row) in `collapsed`. */
  configure(minLevel: number, collapsed: ReadonlySet<number>): void {
    if (minLevel === this.minLevel && sameSet(collapsed, this.collapsed)) return;
    this.minLevel = minLevel;
    this.collapsed = new Set(collapsed);
    this.stale = true;
  }

  /** Follow `index` after a sync that reported `change`; true when `items` is a new array. */
  sync(index: LogIndex, change: LogRowsChange): boolean {
    if (change === 'reset' || this.stale || index.count < this.seen) {
      const items: number[] = [];
      for (let row = 0; row < index.count; row++) if (this.shows(index, row)) items.push(row);
      this.buffers = [items, items.slice()];
      this.front = 0;
      this.seen = index.count;
      this.stale = false;
      return true;
    }
    if (index.count === this.seen) return false;
    const back = this.buffers[1 - this.front]!;
    const front = this.buffers[this.front]!;
    const before = front.length;
    for (let row = this.seen; row < index.count; row++) {
      if (!this.shows(index, row)) continue;
      back.push(row);
      front.push(row);
    }
    this.seen = index.count;
    if (front.length === before) return false;
    this.front = 1 - this.front;
    return true;
  }

  private shows(index: LogIndex, row: number): boolean {
    const level = index.level(row);
    if (level !== ALWAYS_SHOWN && level < this.minLevel) return false;
    if (this.collapsed.size === 0) return true;
    for (let p = index.parent(row); p >= 0; p = index.parent(p)) if (this.collapsed.has(p)) return false;
    return true;
  }
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}
