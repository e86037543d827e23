/**
 * The recorder: a wire tap (`recorder.tap`, given to `connectRun({ tap })` or `<agent-run>.tap`)
 * that keeps a bounded, append-only timeline of entries, counts what crossed the wire (requests,
 * bytes, connections, reconnects, gaps, duplicates) and the latency of server-stamped events
 * from the server to the store and to the screen. It never touches the run.
 */
import type { TapEvent } from '../transports/index.ts';
import { toEntry, type EntryPlane, type TimelineEntry } from './entry.ts';
import { Timeline } from './timeline.ts';

/** Entries a recorder keeps by default (older ones are dropped, and counted). */
export const DEFAULT_CAPACITY = 100_000;

/** Options of `createRecorder`. */
export interface RecorderOptions {
  /** Most entries kept (default 100,000). */
  capacity?: number;
  /** Epoch ms now (default: `performance.timeOrigin + performance.now()`, sub-millisecond). */
  now?: () => number;
}

/** Counters over everything the tap saw (not reset by dropping old entries; reset by `clear`). */
export interface WireCounters {
  /** HTTP requests made and WebSockets opened. */
  requests: number;
  /** Bytes received (HTTP bodies, WebSocket messages). */
  bytesIn: number;
  /** Bytes sent (request bodies, WebSocket messages). */
  bytesOut: number;
  /** Connections open now (per plane, counted from connection reports). */
  open: number;
  /** Most connections open at once. */
  maxOpen: number;
  /** Times a connection went back to connecting after it had been open, or after a failure. */
  reconnects: number;
  /** Events applied (in turn, or once their gap closed). */
  applied: number;
  /** Events dropped as already applied. */
  duplicates: number;
  /** Events held ahead of a missing seq. */
  held: number;
  /** Snapshots applied (rebuilds, resyncs). */
  resyncs: number;
  /** Heartbeats seen (pings, pongs, SSE comments). */
  heartbeats: number;
  /** Time of the first applied token, epoch ms (null before). */
  firstTokenAt: number | null;
}

/** Listener told after entries were added (`added`: how many since the last call) or the timeline was cleared. */
export type RecorderListener = (added: number) => void;

/** A recorder; see the module comment. */
export interface Recorder {
  /** The tap to hand to `connectRun({ tap })` or `<agent-run>.tap`. */
  readonly tap: (event: TapEvent) => void;
  /** The entries kept. */
  readonly timeline: Timeline<TimelineEntry>;
  /** Counters since creation or the last `clear()`. */
  readonly counters: Readonly<WireCounters>;
  /** When recording started (epoch ms). */
  readonly startedAt: number;
  /** While paused, entries are not kept (counters still count). */
  paused: boolean;
  /** The events now on screen: every applied, server-stamped event not yet marked gets `screen = at`. */
  markScreen(at?: number): void;
  /** Latencies, ms, of the server-stamped events kept: server → store, and server → screen (those drawn). */
  latencies(): { toStore: number[]; toScreen: number[] };
  /** Forget every entry and reset the counters. */
  clear(): void;
  /** Be told about changes; returns the unsubscribe function. */
  subscribe(listener: RecorderListener): () => void;
}

const emptyCounters = (): WireCounters => ({
  requests: 0,
  bytesIn: 0,
  bytesOut: 0,
  open: 0,
  maxOpen: 0,
  reconnects: 0,
  applied: 0,
  duplicates: 0,
  held: 0,
  resyncs: 0,
  heartbeats: 0,
  firstTokenAt: null,
});

const defaultNow = (): number => performance.timeOrigin + performance.now();

/** Create a recorder. */
export function createRecorder(options: RecorderOptions = {}): Recorder {
  const now = options.now ?? defaultNow;
  const timeline = new Timeline<TimelineEntry>(options.capacity ?? DEFAULT_CAPACITY);
  const listeners = new Set<RecorderListener>();
  let counters = emptyCounters();
  let nextId = 1;
  let lastPlane: EntryPlane = 'store';
  /** Applied, stamped events waiting for the frame that shows them. */
  let unseen: TimelineEntry[] = [];
  /** Whether each plane's connection is open now, and whether it ever was. */
  const planeOpen = new Map<string, boolean>();
  const everOpen = new Set<string>();
  let added = 0;
  let notifyQueued = false;

  const notify = (): void => {
    notifyQueued = false;
    const n = added;
    added = 0;
    for (const listener of listeners) listener(n);
  };

  const count = (entry: TimelineEntry, event: TapEvent): void => {
    switch (entry.kind) {
      case 'request':
        counters.requests++;
        counters.bytesOut += entry.bytes;
        return;
      case 'command':
        if (event.kind === 'request') counters.requests++;
        counters.bytesOut += entry.bytes;
        return;
      case 'frame':
      case 'heartbeat':
        if (entry.kind === 'heartbeat') counters.heartbeats++;
        if (entry.direction === 'out') counters.bytesOut += entry.bytes;
        else counters.bytesIn += entry.bytes;
        return;
      case 'connection': {
        if (event.kind !== 'connection') return;
        const key = event.plane;
        const wasOpen = planeOpen.get(key) === true;
        const isOpen = event.status === 'open';
        if (isOpen && !wasOpen) counters.open++;
        if (!isOpen && wasOpen) counters.open--;
        planeOpen.set(key, isOpen);
        if (isOpen) everOpen.add(key);
        counters.maxOpen = Math.max(counters.maxOpen, counters.open);
        if (event.status === 'reconnecting' && event.delayMs !== undefined) counters.reconnects++;
        return;
      }
      case 'applied':
      case 'released':
        counters.applied++;
        if (counters.firstTokenAt === null && entry.detail.startsWith('token')) counters.firstTokenAt = entry.at;
        return;
      case 'duplicate':
        counters.duplicates++;
        return;
      case 'held':
        counters.held++;
        return;
      case 'resync':
        counters.resyncs++;
        return;
      default:
        return;
    }
  };

  const recorder: Recorder = {
    tap(event) {
      const at = now();
      const entry = toEntry(event, nextId++, at, lastPlane);
      if (event.kind === 'frame' && event.direction === 'in') lastPlane = event.plane;
      count(entry, event);
      if (recorder.paused) return;
      timeline.push(entry);
      if (entry.latency) unseen.push(entry);
      added++;
      if (!notifyQueued && listeners.size > 0) {
        notifyQueued = true;
        queueMicrotask(notify);
      }
    },
    timeline,
    get counters() {
      return counters;
    },
    startedAt: now(),
    paused: false,
    markScreen(at = now()) {
      for (const entry of unseen) entry.latency!.screen = at;
      unseen = [];
    },
    latencies() {
      const toStore: number[] = [];
      const toScreen: number[] = [];
      for (let i = 0; i < timeline.length; i++) {
        const latency = timeline.at(i)!.latency;
        if (!latency) continue;
        toStore.push(latency.store - latency.server);
        if (latency.screen !== null) toScreen.push(latency.screen - latency.server);
      }
      return { toStore, toScreen };
    },
    clear() {
      timeline.clear();
      counters = emptyCounters();
      unseen = [];
      planeOpen.clear();
      everOpen.clear();
      added = 0;
      for (const listener of listeners) listener(0);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return recorder;
}

/** The value below which `p` (0..1) of `values` fall (nearest rank); null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}
