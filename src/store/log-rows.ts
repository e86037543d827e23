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

/** Steps nest this deep at most, as far as `depth` tells (rows deeper still belong to their step). */
export const MAX_DEPTH = 255;

/** Read access to a log's rows (see LogIndex): what `store.rows` gives. */
export interface LogRowsView {
  /** Number of rows. */
  readonly count: number;
  /** Changes (to a number no other rows had) whenever the rows were indexed again from scratch (a new log, e.g. from a snapshot). */
  readonly generation: number;
  /** What row `row` shows. */
  kind(row: number): LogRowKind;
  /** The log index of the entry that opened the row: its stable, unique key. */
  entry(row: number): number;
  /** The log index of the newest entry of the row's own kind (a tool call completed after its streamed placeholder). */
  latest(row: number): number;
  /** The log index of the entry that closed the row (a tool result, an answer, a step's end), or -1. */
  end(row: number): number;
  /** The row of the step the row belongs to, or -1. */
  parent(row: number): number;
  /** How many steps the row is nested in (at most MAX_DEPTH). */
  depth(row: number): number;
  /** The level the row is filtered by (ALWAYS_SHOWN, or a LEVEL_RANK). */
  level(row: number): number;
  /** Rows inside a step row (all depths); 0 for other rows. */
  size(row: number): number;
  /** The row of the tool call `callId`, or -1. */
  rowOfCall(callId: string): number;
  /** The row of the request `resumeToken`, or -1. */
  rowOfRequest(resumeToken: string): number;
  /** The resume token of the (first) request about tool call `callId`, or undefined. */
  approvalOf(callId: string): string | undefined;
  /** The row of the latest step without a state (a plain server's "now at step X"), or -1: the step a run is in. */
  readonly lastBareStep: number;
}

/** Generations of all indexes: unique, so rows of two runs are never taken for one another. */
let generations = 0;

/** The rows of one log, kept in step with successive views of its `AppendList`. */
export class LogIndex implements LogRowsView {
  /** A new number (unique among all indexes) whenever the rows are indexed again from scratch. */
  generation = ++generations;
  private kinds = new Uint8Array(256);
  private levels = new Int8Array(256);
  private entries = new Int32Array(256);
  private latests = new Int32Array(256);
  private ends = new Int32Array(256);
  private parents = new Int32Array(256);
  private depths = new Uint8Array(256);
  /** The last row inside a step once it closed; -1 while it is open; the row itself for rows that are not groups. */
  private lasts = new Int32Array(256);
  private rows = 0;
  private bareStep = -1;
  private consumed = 0;
  private lastEntry: LogEntry | undefined;
  private calls = new Map<string, number>();
  private requests = new Map<string, number>();
  private approvals = new Map<string, string>();
  /** Rows of the open steps, innermost last, and their names. */
  private stack: number[] = [];
  private stackNames: string[] = [];
  /** Rows of the open steps by name, innermost last: closing one is O(1) however many are open. */
  private openByName = new Map<string, number[]>();

  /** Number of rows. */
  get count(): number {
    return this.rows;
  }

  /** The row of the latest step without a state, or -1. */
  get lastBareStep(): number {
    return this.bareStep;
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

  /** Rows inside a step row (all depths); 0 for other rows. Rows inside a step are the rows right after it. */
  size(row: number): number {
    const last = this.lasts[row]!;
    return (last < 0 ? this.rows - 1 : last) - row;
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
      this.bareStep = -1;
      this.consumed = 0;
      this.lastEntry = undefined;
      this.calls = new Map();
      this.requests = new Map();
      this.approvals = new Map();
      this.stack = [];
      this.stackNames = [];
      this.openByName = new Map();
      this.generation = ++generations;
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
          const row = this.openByName.get(event.name)?.at(-1);
          if (row !== undefined) {
            this.ends[row] = index;
            this.close(row);
            return;
          }
        }
        const row = this.open('step', index, ALWAYS_SHOWN);
        if (event.state === undefined) this.bareStep = row;
        if (event.state === 'started') {
          this.lasts[row] = -1;
          this.stack.push(row);
          this.stackNames.push(event.name);
          const named = this.openByName.get(event.name);
          if (named) named.push(row);
          else this.openByName.set(event.name, [row]);
        }
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

  /** Close the open step `row`, and the steps opened inside it that are still open. Amortised O(1). */
  private close(row: number): void {
    const last = this.rows - 1;
    for (;;) {
      const top = this.stack.pop();
      const name = this.stackNames.pop();
      if (top === undefined || name === undefined) return;
      const named = this.openByName.get(name)!;
      named.pop();
      if (named.length === 0) this.openByName.delete(name);
      this.lasts[top] = last;
      if (top === row) return;
    }
  }

  /** A new row for entry `index`, inside the innermost open step. */
  private open(kind: LogRowKind, index: number, level: number): number {
    const row = this.rows++;
    const parent = this.stack.at(-1) ?? -1;
    this.kinds[row] = KIND_CODE[kind];
    this.levels[row] = level;
    this.entries[row] = index;
    this.latests[row] = index;
    this.ends[row] = -1;
    this.parents[row] = parent;
    this.depths[row] = parent < 0 ? 0 : Math.min(MAX_DEPTH, this.depths[parent]! + 1);
    this.lasts[row] = row;
    return row;
  }

  private reserve(size: number): void {
    if (size <= this.kinds.length) return;
    let capacity = this.kinds.length;
    while (capacity < size) capacity *= 2;
    const grow = <A extends Uint8Array | Int8Array | Int32Array>(array: A, make: new (n: number) => A): A => {
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
    this.depths = grow(this.depths, Uint8Array);
    this.lasts = grow(this.lasts, Int32Array);
  }
}

/** The item that stands for the run's end (its result, or why it failed) after every row. */
export const END_ROW = -1;

/**
 * The rows a view shows, by row number: every row, or those that pass a level filter and are not
 * inside a collapsed step, then END_ROW once the run has ended. Unfiltered, `items` is an
 * identity list (row i at index i) that computes its items when read, so 100,000 rows cost no
 * array. Filtered, two arrays are kept identical and `items` alternates between them on every
 * change, so a view that compares arrays by identity (the Lit virtualizer does) sees each change
 * without an O(n) copy. Appending is O(new rows) (O(1) unfiltered); changing the filter is O(rows).
 */
export class VisibleRows {
  private buffers: [number[], number[]] = [[], []];
  private front = 0;
  private seen = 0;
  private generation = -1;
  private minLevel = 0;
  private collapsed: ReadonlySet<number> = new Set();
  private stale = false;
  /** END_ROW is wanted after the rows / is in the buffers now. */
  private end = false;
  private hasEnd = false;
  /** Every row is shown: `items` is `identity`, not a buffer. */
  private identity: readonly number[] | null = null;

  /** The row numbers shown, in order. A new array object after every sync that changed it. */
  get items(): readonly number[] {
    return this.identity ?? this.buffers[this.front]!;
  }

  /** Where `row` is in `items`, or -1 (O(1) when every row is shown). */
  positionOf(row: number): number {
    if (this.identity) return row >= 0 && row < this.seen ? row : -1;
    return this.buffers[this.front]!.indexOf(row);
  }

  /**
   * Show only rows of at least `minLevel` (LEVEL_RANK; rows ALWAYS_SHOWN pass) outside the steps
   * (by row) in `collapsed`, and END_ROW last when `end` (the run has ended).
   */
  configure(minLevel: number, collapsed: ReadonlySet<number>, end = false): void {
    this.end = end;
    if (minLevel === this.minLevel && sameSet(collapsed, this.collapsed)) return;
    this.minLevel = minLevel;
    this.collapsed = new Set(collapsed);
    this.stale = true;
  }

  /** Follow `index` (appended rows, or rows indexed again); true when `items` is a new array. */
  sync(index: LogRowsView): boolean {
    if (index.generation !== this.generation || this.stale || index.count < this.seen) {
      this.generation = index.generation;
      const count = index.count;
      this.hasEnd = this.end;
      this.seen = count;
      this.stale = false;
      if (this.minLevel === 0 && this.collapsed.size === 0) {
        this.identity = identityRows(count, this.end);
        this.buffers = [[], []];
        return true;
      }
      this.identity = null;
      const items: number[] = [];
      for (let row = 0; row < count; row++) if (this.shows(index, row)) items.push(row);
      if (this.end) items.push(END_ROW);
      this.buffers = [items, items.slice()];
      this.front = 0;
      return true;
    }
    if (index.count === this.seen && this.end === this.hasEnd) return false;
    if (this.identity) {
      this.seen = index.count;
      this.hasEnd = this.end;
      this.identity = identityRows(this.seen, this.end);
      return true;
    }
    const back = this.buffers[1 - this.front]!;
    const front = this.buffers[this.front]!;
    if (this.hasEnd) {
      back.pop();
      front.pop();
    }
    const before = front.length;
    for (let row = this.seen; row < index.count; row++) {
      if (!this.shows(index, row)) continue;
      back.push(row);
      front.push(row);
    }
    this.seen = index.count;
    const added = front.length !== before;
    if (this.end) {
      back.push(END_ROW);
      front.push(END_ROW);
    }
    const changed = added || this.end !== this.hasEnd;
    this.hasEnd = this.end;
    if (!changed) return false;
    this.front = 1 - this.front;
    return true;
  }

  private shows(index: LogRowsView, row: number): boolean {
    const level = index.level(row);
    if (level !== ALWAYS_SHOWN && level < this.minLevel) return false;
    if (this.collapsed.size === 0) return true;
    // Rows inside a step are the rows right after it: O(collapsed steps), however deep steps nest.
    for (const step of this.collapsed) if (step < row && row <= step + index.size(step)) return false;
    return true;
  }
}

/**
 * Rows 0 … count − 1, then END_ROW when `end`, as a read-only array built in O(1): an array proxy
 * that answers `length` and each index when read (array methods such as `map` and `indexOf` work).
 */
function identityRows(count: number, end: boolean): readonly number[] {
  const length = end ? count + 1 : count;
  /** The item at the index `key` names, or undefined (not an index of this list). */
  const item = (key: string | symbol): number | undefined => {
    if (typeof key !== 'string' || !/^(?:0|[1-9]\d*)$/.test(key)) return undefined;
    const position = +key;
    return position < count ? position : position < length ? END_ROW : undefined;
  };
  return new Proxy<number[]>([], {
    get: (target, key) => (key === 'length' ? length : (item(key) ?? (Reflect.get(target, key) as unknown))),
    has: (target, key) => item(key) !== undefined || key in target,
    // What comparing and copying read (own keys and their descriptors), as a plain array has them.
    ownKeys: () => [...Array.from({ length }, (_, position) => `${position}`), 'length'],
    getOwnPropertyDescriptor: (target, key) => {
      const value = item(key);
      return value === undefined
        ? Reflect.getOwnPropertyDescriptor(target, key)
        : { value, writable: false, enumerable: true, configurable: true };
    },
    // Read-only: an assignment (or `push`) throws in strict code.
    set: () => false,
  });
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}
