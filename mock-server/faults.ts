/**
 * Per-connection fault switches, read from query parameters. Each switch applies to the first
 * `fault_times` (default 1) connections of a run on one endpoint kind that carry it, so a client
 * that reconnects with the same URL recovers: tests stay deterministic.
 */
import { HttpError } from './errors.ts';
import { FAULT_RETRY_AFTER_S, MAX_FAULT_DELAY_MS } from './limits.ts';
import { flagParam, intParam } from './params.ts';
import type { Run } from './run.ts';

/** The endpoint kinds faults are counted per. */
export type EndpointKind = 'snapshot' | 'events' | 'stream' | 'tokens' | 'ws' | 'plain-task' | 'plain-stream' | 'plain-ws';

/** The faults active on one connection. */
export interface Faults {
  /** Cut the connection abruptly after this many events (events page: return only this many). */
  readonly closeAfter: number | undefined;
  /** Send every K-th event twice. */
  readonly duplicateEvery: number | undefined;
  /** Wait this long before the response headers and before every event. */
  readonly delayMs: number;
  /** After this many events send one malformed frame, then go on normally. */
  readonly malformedAfter: number | undefined;
  /** Answer `503 {error:{code:'unavailable'}}` with `Retry-After`. */
  readonly unavailable: boolean;
  /** Hold every SSE byte until the run ends or FAULT_BUFFER_BYTES piled up (a buffering proxy). */
  readonly buffer: boolean;
}

/** A connection without faults. */
export const NO_FAULTS: Faults = Object.freeze({
  closeAfter: undefined,
  duplicateEvery: undefined,
  delayMs: 0,
  malformedAfter: undefined,
  unavailable: false,
  buffer: false,
});

/** Fault switches as requested (before `fault_times` is applied). */
export interface FaultRequest {
  readonly faults: Faults;
  /** How many connections per run and endpoint kind get each switch. */
  readonly times: number;
  /** Names of the switches present. */
  readonly present: readonly (keyof Faults)[];
}

const BIG = 1_000_000_000;

/** Read the `fault_*` query parameters; throws HttpError 400 naming a bad one. */
export function parseFaults(query: URLSearchParams): FaultRequest {
  const closeAfter = intParam(query, 'fault_close_after', { min: 0, max: BIG });
  const duplicateEvery = intParam(query, 'fault_duplicate', { min: 1, max: BIG });
  const delayMs = intParam(query, 'fault_delay', { min: 0, max: MAX_FAULT_DELAY_MS });
  const malformedAfter = intParam(query, 'fault_malformed', { min: 0, max: BIG });
  const unavailable = flagParam(query, 'fault_503');
  const buffer = flagParam(query, 'fault_buffer');
  const times = intParam(query, 'fault_times', { min: 1, max: BIG }) ?? 1;
  const faults: Faults = {
    closeAfter,
    duplicateEvery,
    delayMs: delayMs ?? 0,
    malformedAfter,
    unavailable: unavailable ?? false,
    buffer: buffer ?? false,
  };
  const present = (Object.keys(faults) as (keyof Faults)[]).filter((key) => faults[key] !== NO_FAULTS[key]);
  return { faults, times, present };
}

/** The faults this connection actually gets: each present switch counts one use on the run for this endpoint kind. */
export function activateFaults(run: Run, kind: EndpointKind, request: FaultRequest): Faults {
  if (request.present.length === 0) return NO_FAULTS;
  const active: { -readonly [K in keyof Faults]: Faults[K] } = { ...NO_FAULTS };
  for (const name of request.present) {
    const key = `${kind}:${name}`;
    const uses = (run.faultUses.get(key) ?? 0) + 1;
    run.faultUses.set(key, uses);
    if (uses <= request.times) copyFault(active, request.faults, name);
  }
  return active;
}

function copyFault<K extends keyof Faults>(target: { -readonly [P in keyof Faults]: Faults[P] }, source: Faults, key: K): void {
  target[key] = source[key];
}

/** The 503 answer of `fault_503`. */
export function unavailableError(): HttpError {
  return new HttpError(503, 'unavailable', 'the service is unavailable (injected fault_503)', {
    headers: { 'Retry-After': String(FAULT_RETRY_AFTER_S) },
  });
}
