/**
 * One row of the inspector's timeline, made from what the wire tap reports: requests, raw frames
 * (heartbeats and commands told apart), connection changes, acknowledgements, and what the run's
 * ordered sink did with every event, snapshot and error. Entries that fed the sink carry that
 * input in `data`, so a recording replays into a store exactly.
 */
import type { ClientErrorCode, RunEvent, RunSnapshot } from '../protocol/index.ts';
import type { TapEvent, WirePlane } from '../transports/index.ts';

/** Every kind of entry. */
export const ENTRY_KINDS = [
  'request',
  'frame',
  'heartbeat',
  'command',
  'ack',
  'connection',
  'applied',
  'released',
  'held',
  'duplicate',
  'resync',
  'stale',
  'error',
  'rebuild',
] as const;
/** A kind of entry: wire (`request`, `frame`, `heartbeat`, `command`, `ack`, `connection`) or what the sink did. */
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Planes an entry may be on: the wire's, or `store` for what the sink did with no frame before it. */
export const ENTRY_PLANES = ['stream', 'tokens', 'socket', 'control', 'poll', 'snapshot', 'command', 'store'] as const;
/** Where an entry happened. */
export type EntryPlane = WirePlane | 'store';

/** The input an entry fed into the sink. */
export type EntryData =
  | { readonly event: RunEvent }
  | { readonly snapshot: RunSnapshot; readonly sequenced: boolean }
  | { readonly error: { readonly code: ClientErrorCode; readonly message: string } };

/** Times of an event the server stamped (`at`), epoch ms: stamped, in the store, on screen (once drawn). */
export interface EntryLatency {
  readonly server: number;
  readonly store: number;
  screen: number | null;
}

/** One timeline entry. */
export interface TimelineEntry {
  /** Position in the recording (1, 2, …; never reused, also after older entries were dropped). */
  readonly id: number;
  /** When it happened, epoch ms (sub-millisecond where the clock gives it). */
  readonly at: number;
  readonly plane: EntryPlane;
  readonly kind: EntryKind;
  /** Bytes on the wire: received (frames in), sent (requests' bodies, frames out); 0 for the rest. */
  readonly bytes: number;
  /** The event's seq (the snapshot's last_seq), or null. */
  readonly seq: number | null;
  /** One line for people: the event type and text, the URL, the raw frame, the reason and backoff. */
  readonly detail: string;
  /** Frames: the direction. */
  readonly direction?: 'in' | 'out';
  /** What this entry fed into the sink (replayed from a recording). */
  readonly data?: EntryData;
  /** For events the server stamped: server → store → screen. */
  readonly latency?: EntryLatency;
}

/** Longest detail kept per entry, characters (a raw frame is cut there, the byte count stays exact). */
export const MAX_DETAIL_LENGTH = 2048;

/** Kinds whose entries fed the ordered sink (replayed, in order, from a recording). */
export const INPUT_KINDS: ReadonlySet<EntryKind> = new Set([
  'applied',
  'held',
  'duplicate',
  'resync',
  'stale',
  'error',
]);

const cut = (text: string): string =>
  text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}… (${text.length} chars)` : text;

/** A short description of an event: its type and the text that matters. */
export function describeEvent(event: RunEvent): string {
  const e = event as unknown as Record<string, unknown>;
  const text =
    e['content'] ?? e['message'] ?? e['prompt'] ?? e['name'] ?? e['summary'] ?? e['state'] ?? e['resume_token'] ?? '';
  const pct = typeof e['pct'] === 'number' ? ` ${e['pct']}%` : '';
  const shown = typeof text === 'string' ? JSON.stringify(text) : JSON.stringify(text);
  return cut(`${event.type}${pct}${shown === '""' ? '' : ` ${shown}`}`);
}

/** SSE text that is only comment lines (`: ping`): a heartbeat. */
const SSE_COMMENTS = /^(?::[^\n]*\n)+\n?$/;

/** What a frame is, by its plane and text: a heartbeat, a command sent, or just a frame. */
function frameKind(plane: WirePlane, direction: 'in' | 'out', text: string): EntryKind {
  if (plane === 'stream' || plane === 'tokens')
    return SSE_COMMENTS.test(text.replace(/\r\n?/g, '\n')) ? 'heartbeat' : 'frame';
  if (plane === 'socket' || plane === 'control') {
    if (/^\{"type":"p[io]ng"/.test(text)) return 'heartbeat';
    if (direction === 'out') return 'command';
  }
  return 'frame';
}

/** The epoch ms of an ISO `at` stamp, or null. */
export function stampOf(event: RunEvent): number | null {
  if (typeof event.at !== 'string') return null;
  const ms = Date.parse(event.at);
  return Number.isFinite(ms) ? ms : null;
}

/** Make the entry for one tap event (`id`, `at` given); `lastPlane` is the plane of the last frame received. */
export function toEntry(event: TapEvent, id: number, at: number, lastPlane: EntryPlane): TimelineEntry {
  const base = { id, at };
  switch (event.kind) {
    case 'request': {
      const kind: EntryKind = event.plane === 'command' ? 'command' : 'request';
      return {
        ...base,
        plane: event.plane,
        kind,
        bytes: event.bytes,
        seq: null,
        detail: cut(`${event.method} ${event.url}`),
        direction: 'out',
      };
    }
    case 'frame':
      return {
        ...base,
        plane: event.plane,
        kind: frameKind(event.plane, event.direction, event.text),
        bytes: event.bytes,
        seq: null,
        detail: cut(`${event.status !== undefined && event.status >= 400 ? `${event.status} ` : ''}${event.text}`),
        direction: event.direction,
      };
    case 'connection': {
      const reason = event.error ? ` — ${event.error.code}: ${event.error.message}` : '';
      const backoff = event.delayMs !== undefined ? `, next try in ${Math.round(event.delayMs)} ms` : '';
      const attempt = event.attempt > 0 ? ` (attempt ${event.attempt})` : '';
      return {
        ...base,
        plane: event.plane,
        kind: 'connection',
        bytes: 0,
        seq: null,
        detail: cut(`${event.transport} ${event.status}${attempt}${backoff}${reason}`),
      };
    }
    case 'ack':
      return {
        ...base,
        plane: event.plane,
        kind: 'ack',
        bytes: 0,
        seq: null,
        detail: cut(`${event.command} ${event.outcome}${event.detail ? `: ${event.detail}` : ''}`),
      };
    case 'sink':
      return sinkEntry(event, id, at, lastPlane);
  }
}

function sinkEntry(
  event: Extract<TapEvent, { kind: 'sink' }>,
  id: number,
  at: number,
  plane: EntryPlane,
): TimelineEntry {
  const base = { id, at, plane, bytes: 0 };
  switch (event.outcome) {
    case 'applied':
    case 'released':
    case 'held':
    case 'duplicate': {
      const seq = event.event.seq ?? null;
      const note =
        event.outcome === 'held'
          ? ' — ahead of a missing seq: held'
          : event.outcome === 'released'
            ? ' — the gap before it closed'
            : event.outcome === 'duplicate'
              ? ' — already applied: dropped'
              : '';
      const server = event.outcome === 'applied' || event.outcome === 'released' ? stampOf(event.event) : null;
      return {
        ...base,
        kind: event.outcome,
        seq,
        detail: `${describeEvent(event.event)}${note}`,
        ...(event.outcome !== 'released' && { data: { event: event.event } }),
        ...(server !== null && { latency: { server, store: at, screen: null } }),
      };
    }
    case 'resync':
    case 'stale':
      return {
        ...base,
        kind: event.outcome,
        seq: event.snapshot.last_seq,
        detail:
          event.outcome === 'resync'
            ? `snapshot applied at seq ${event.snapshot.last_seq} (${event.snapshot.state}): the store rebuilt from the server`
            : `snapshot at seq ${event.snapshot.last_seq} not ahead of the store: ignored`,
        data: { snapshot: event.snapshot, sequenced: event.sequenced },
      };
    case 'error':
      return {
        ...base,
        kind: 'error',
        seq: null,
        detail: cut(`${event.error.code}: ${event.error.message}`),
        data: { error: { code: event.error.code, message: event.error.message } },
      };
    case 'rebuild':
      return {
        ...base,
        kind: 'rebuild',
        seq: null,
        detail: `seq ${event.expected} still missing (${event.held} held): rebuilding from a snapshot`,
      };
  }
}
