/**
 * The inspector's view of a timeline, as plain TS: which entries pass the filter (a group of
 * kinds, a plane, a search text), kept incrementally — an append costs O(new entries), entries
 * dropped from the front of a full timeline leave the view in O(dropped) — and the window of
 * rows a fixed-height list draws for a scroll position.
 */
import type { EntryKind, EntryPlane, TimelineEntry } from '../../inspector/entry.ts';

/** Groups of entry kinds the inspector filters by. */
export const ENTRY_GROUPS = {
  all: null,
  wire: ['request', 'frame', 'heartbeat', 'command', 'ack'],
  events: ['applied', 'released'],
  order: ['held', 'released', 'duplicate', 'resync', 'stale', 'rebuild'],
  connection: ['connection'],
  commands: ['command', 'ack'],
  heartbeats: ['heartbeat'],
  errors: ['error', 'rebuild'],
} as const satisfies Record<string, readonly EntryKind[] | null>;
/** A filter group. */
export type EntryGroup = keyof typeof ENTRY_GROUPS;

/** What the view shows. */
export interface EntryFilter {
  readonly group: EntryGroup;
  readonly plane: EntryPlane | 'all';
  /** Case-insensitive text searched in the detail, kind and plane (`#12` finds seq 12). */
  readonly search: string;
}

/** Entries to read: a recorder's timeline or an imported recording's list. */
export interface EntrySource {
  readonly length: number;
  at(index: number): TimelineEntry | undefined;
}

/** An array as an EntrySource. */
export const arraySource = (entries: readonly TimelineEntry[]): EntrySource => ({
  length: entries.length,
  at: (i) => entries[i],
});

/** The filter that shows everything. */
export const NO_FILTER: EntryFilter = { group: 'all', plane: 'all', search: '' };

/** True when `entry` passes `filter`. */
export function matches(entry: TimelineEntry, filter: EntryFilter): boolean {
  const kinds: readonly EntryKind[] | null = ENTRY_GROUPS[filter.group];
  if (kinds && !kinds.includes(entry.kind)) return false;
  if (filter.plane !== 'all' && entry.plane !== filter.plane) return false;
  const search = filter.search.trim().toLowerCase();
  if (search === '') return true;
  if (/^#\d+$/.test(search)) return entry.seq === Number(search.slice(1));
  return `${entry.kind} ${entry.plane} ${entry.detail}`.toLowerCase().includes(search);
}

/** The filtered rows of a source, kept in step with it. */
export class InspectorView {
  /** The entries that pass the filter, oldest first. */
  rows: TimelineEntry[] = [];
  private filter: EntryFilter = NO_FILTER;
  private source: EntrySource | null = null;
  /** Id of the newest entry looked at. */
  private lastId = 0;

  /** The filter in use. */
  get current(): EntryFilter {
    return this.filter;
  }

  /** Use another filter (the rows are rebuilt at the next sync). */
  setFilter(filter: EntryFilter): void {
    this.filter = filter;
    this.lastId = 0;
    this.rows = [];
  }

  /** Bring the rows up to date with `source` (another source starts over); true when they changed. */
  sync(source: EntrySource): boolean {
    if (source !== this.source) {
      this.source = source;
      this.lastId = 0;
      this.rows = [];
    }
    let changed = false;
    const oldest = source.at(0);
    // Entries dropped from a full timeline, or a cleared one, leave the view.
    if (this.rows.length > 0 && (oldest === undefined || this.rows[0]!.id < oldest.id)) {
      const keep = oldest === undefined ? this.rows.length : this.rows.findIndex((row) => row.id >= oldest.id);
      this.rows = keep < 0 ? [] : this.rows.slice(keep);
      if (oldest === undefined) this.lastId = 0;
      changed = true;
    }
    if (oldest === undefined) return changed;
    // New entries sit at the end: walk back to the first one not seen yet.
    let from = source.length;
    while (from > 0 && source.at(from - 1)!.id > this.lastId) from--;
    for (let i = from; i < source.length; i++) {
      const entry = source.at(i)!;
      this.lastId = entry.id;
      if (matches(entry, this.filter)) {
        this.rows.push(entry);
        changed = true;
      }
    }
    return changed;
  }
}

/** The rows a fixed-height list draws: [first, end) around the viewport, with `overscan` rows each side. */
export function visibleWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): { first: number; end: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, end: Math.max(first, end) };
}
