/** Strict readers of query parameters: a bad value is a 400 naming the parameter. */
import { HttpError } from '../errors.ts';

/** Bounds of a numeric parameter. */
export interface NumberBounds {
  readonly min: number;
  readonly max: number;
}

function invalid(name: string, message: string): HttpError {
  return new HttpError(400, 'invalid_query', `query parameter "${name}" ${message}`, { field: name });
}

/** Parse an integer from text within bounds; throws HttpError 400 naming `name`. */
export function parseIntValue(raw: string, name: string, bounds: NumberBounds): number {
  const trimmed = raw.trim();
  const value = /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw invalid(name, `must be an integer, got ${JSON.stringify(raw.slice(0, 40))}`);
  if (value < bounds.min || value > bounds.max)
    throw invalid(name, `must be between ${bounds.min} and ${bounds.max}, got ${value}`);
  return value;
}

/** An integer parameter within bounds, or undefined when absent. */
export function intParam(query: URLSearchParams, name: string, bounds: NumberBounds): number | undefined {
  const raw = query.get(name);
  return raw === null ? undefined : parseIntValue(raw, name, bounds);
}

/** A finite number parameter within bounds, or undefined when absent. */
export function numberParam(query: URLSearchParams, name: string, bounds: NumberBounds): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) throw invalid(name, `must be a number, got ${JSON.stringify(raw.slice(0, 40))}`);
  if (value < bounds.min || value > bounds.max)
    throw invalid(name, `must be between ${bounds.min} and ${bounds.max}, got ${value}`);
  return value;
}

/** A boolean switch (`1`/`true`/``/`0`/`false`), or undefined when absent. */
export function flagParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const lower = raw.trim().toLowerCase();
  if (lower === '1' || lower === 'true' || lower === '') return true;
  if (lower === '0' || lower === 'false') return false;
  throw invalid(name, `must be 1 or 0, got ${JSON.stringify(raw.slice(0, 40))}`);
}

/** One of a set of words, or undefined when absent. */
export function enumParam<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const found = allowed.find((value) => value === raw);
  if (found === undefined)
    throw invalid(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw.slice(0, 40))}`);
  return found;
}
