/**
 * Recordings: a recorder's timeline as a JSON file (export), and that file read back (import):
 * untrusted input, checked field by field — events and snapshots through src/protocol's decoders —
 * so a bad file is a RecordingError with a code and the entry it is about, never a half-loaded
 * timeline.
 */
import { decodeEvent, decodeSnapshot, type ClientErrorCode, type RunEvent } from '../protocol/index.ts';
import {
  ENTRY_KINDS,
  ENTRY_PLANES,
  INPUT_KINDS,
  type EntryData,
  type EntryKind,
  type EntryPlane,
  type TimelineEntry,
} from './entry.ts';
import type { Recorder } from './recorder.ts';

/** The `format` field of every recording. */
export const RECORDING_FORMAT = 'agentwire-recording';
/** The version this module writes and reads. */
export const RECORDING_VERSION = 1;
/** Largest recording file read, characters (64 MiB). */
export const MAX_RECORDING_CHARS = 64 * 1024 * 1024;

/** A recording: the timeline of one run, as exported. */
export interface Recording {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: typeof RECORDING_VERSION;
  /** The run recorded ('' when unknown). */
  readonly runId: string;
  /** The transport it was carried by ('' when unknown). */
  readonly transport: string;
  /** When recording started, epoch ms. */
  readonly startedAt: number;
  /** Entries dropped before the first one here (a full timeline): 0 for a complete recording, which replays exactly. */
  readonly dropped: number;
  readonly entries: readonly TimelineEntry[];
}

/** Why a file is not a recording. */
export type RecordingErrorCode =
  'invalid_json' | 'too_large' | 'not_a_recording' | 'unsupported_version' | 'invalid_entry' | 'incomplete';

/** A bad recording file (or a recording that cannot do what was asked). */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  /** Index of the entry at fault, when one is. */
  readonly entry: number | undefined;

  constructor(
    /** Machine-readable reason. */
    readonly code: RecordingErrorCode,
    message: string,
    entry?: number,
  ) {
    super(message);
    this.entry = entry;
  }
}

/** What to say about a recording besides its entries. */
export interface RecordingInfo {
  runId?: string;
  transport?: string;
}

/** The recorder's timeline as a Recording. */
export function toRecording(recorder: Recorder, info: RecordingInfo = {}): Recording {
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    runId: info.runId ?? '',
    transport: info.transport ?? '',
    startedAt: recorder.startedAt,
    dropped: recorder.timeline.dropped,
    entries: recorder.timeline.slice(),
  };
}

/** A recording as JSON text (what the inspector's Export button saves). */
export function stringifyRecording(recording: Recording): string {
  return JSON.stringify(recording);
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Read a recording from JSON text or a parsed value; throws RecordingError naming what is wrong. */
export function parseRecording(input: unknown): Recording {
  let value: unknown = input;
  if (typeof input === 'string') {
    if (input.length > MAX_RECORDING_CHARS)
      throw new RecordingError('too_large', `the file has ${input.length} characters; at most ${MAX_RECORDING_CHARS}`);
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new RecordingError('invalid_json', `not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!isObject(value) || value['format'] !== RECORDING_FORMAT)
    throw new RecordingError('not_a_recording', `not an agentwire recording (no "format": "${RECORDING_FORMAT}")`);
  if (value['version'] !== RECORDING_VERSION)
    throw new RecordingError(
      'unsupported_version',
      `recording version ${JSON.stringify(value['version'])}; this version reads ${RECORDING_VERSION}`,
    );
  const entries = value['entries'];
  if (!Array.isArray(entries)) throw new RecordingError('not_a_recording', '"entries" must be an array');
  const text = (key: string): string => (typeof value[key] === 'string' ? value[key] : '');
  const number = (key: string): number => {
    const n = value[key];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
      throw new RecordingError('not_a_recording', `"${key}" must be a non-negative number`);
    return n;
  };
  const parsed: TimelineEntry[] = [];
  let previous = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = parseEntry(entries[i], i);
    if (entry.id <= previous) throw new RecordingError('invalid_entry', `entry ${i}: ids must increase`, i);
    previous = entry.id;
    parsed.push(entry);
  }
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    runId: text('runId'),
    transport: text('transport'),
    startedAt: number('startedAt'),
    dropped: number('dropped'),
    entries: parsed,
  };
}

const KINDS: ReadonlySet<string> = new Set(ENTRY_KINDS);
/** The codes of errors raised on the client (ProtocolErrorCode and TransportErrorCode). */
const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set<ClientErrorCode>([
  'malformed_json',
  'not_an_object',
  'missing_type',
  'invalid_field',
  'oversized',
  'bad_command',
  'server_error',
  'http_status',
  'network',
  'protocol',
  'heartbeat_timeout',
  'buffered',
  'not_delivered',
  'rejected',
  'closed',
]);
const PLANES: ReadonlySet<string> = new Set(ENTRY_PLANES);

function parseEntry(raw: unknown, index: number): TimelineEntry {
  const bad = (why: string): RecordingError => new RecordingError('invalid_entry', `entry ${index}: ${why}`, index);
  if (!isObject(raw)) throw bad('not an object');
  const { id, at, plane, kind, bytes, seq, detail, direction } = raw;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw bad('"id" must be a positive integer');
  if (typeof at !== 'number' || !Number.isFinite(at)) throw bad('"at" must be a number');
  if (typeof plane !== 'string' || !PLANES.has(plane)) throw bad(`unknown plane ${JSON.stringify(plane)}`);
  if (typeof kind !== 'string' || !KINDS.has(kind)) throw bad(`unknown kind ${JSON.stringify(kind)}`);
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0)
    throw bad('"bytes" must be a non-negative integer');
  if (seq !== null && (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0))
    throw bad('"seq" must be null or a non-negative integer');
  if (typeof detail !== 'string') throw bad('"detail" must be a string');
  if (direction !== undefined && direction !== 'in' && direction !== 'out')
    throw bad('"direction" must be "in" or "out"');
  const entry: {
    -readonly [K in keyof TimelineEntry]: TimelineEntry[K];
  } = { id, at, plane: plane as EntryPlane, kind: kind as EntryKind, bytes, seq, detail };
  if (direction !== undefined) entry.direction = direction;
  if (INPUT_KINDS.has(entry.kind)) entry.data = parseData(raw['data'], entry.kind, bad);
  const latency = raw['latency'];
  if (isObject(latency)) {
    const { server, store, screen } = latency;
    if (typeof server !== 'number' || typeof store !== 'number' || (screen !== null && typeof screen !== 'number'))
      throw bad('"latency" must hold numbers');
    entry.latency = { server, store, screen };
  }
  return entry;
}

function parseData(raw: unknown, kind: EntryKind, bad: (why: string) => RecordingError): EntryData {
  if (!isObject(raw)) throw bad(`a ${kind} entry needs its "data"`);
  if (kind === 'error') {
    const error = raw['error'];
    if (!isObject(error) || typeof error['message'] !== 'string') throw bad('"data.error" must be {code, message}');
    const code = error['code'];
    if (typeof code !== 'string' || !CLIENT_ERROR_CODES.has(code))
      throw bad(`"data.error.code" ${JSON.stringify(code)} is not a client error code`);
    return { error: { code: code as ClientErrorCode, message: error['message'] } };
  }
  if (kind === 'resync' || kind === 'stale') {
    const decoded = decodeSnapshot(raw['snapshot']);
    if (!decoded.ok) throw bad(`"data.snapshot": ${decoded.error.message}`);
    const sequenced = raw['sequenced'];
    if (typeof sequenced !== 'boolean') throw bad('"data.sequenced" must be a boolean');
    return { snapshot: decoded.value.snapshot, sequenced };
  }
  return { event: parseEvent(raw['event'], bad) };
}

/** An event as recorded (already decoded once): checked again by the protocol's decoder. */
function parseEvent(raw: unknown, bad: (why: string) => RecordingError): RunEvent {
  if (isObject(raw) && raw['type'] === 'unknown') {
    // The decoded form of an event of a type the protocol does not know: kept as it is.
    if (typeof raw['event_type'] !== 'string') throw bad('"data.event" of type unknown needs "event_type"');
    const seq = raw['seq'];
    if (seq !== undefined && (typeof seq !== 'number' || !Number.isSafeInteger(seq)))
      throw bad('"data.event.seq" must be an integer');
    return raw as unknown as RunEvent;
  }
  const decoded = decodeEvent(raw);
  if (!decoded.ok) throw bad(`"data.event": ${decoded.error.message}`);
  return decoded.value;
}
