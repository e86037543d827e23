/**
 * Reading a foreign protocol's frames: JSON objects whose fields are checked as they are read. A
 * bad field throws a FrameError inside a session's `frame()`, which turns it into a ProtocolError
 * result (a row in the log): the stream goes on.
 */
import { excerptOf, parseJson, ProtocolError, type ProtocolErrorCode } from '../../protocol/index.ts';

/** A JSON object from the wire. */
export type JsonObject = Record<string, unknown>;

/** Why a frame was refused, thrown while reading it (caught in the session). */
export class FrameError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parse a frame's data into an object, or throw a FrameError. */
export function frameObject(data: string): JsonObject {
  const parsed = parseJson(data);
  if (!parsed.ok) throw new FrameError(parsed.error.code, parsed.error.message);
  if (!isObject(parsed.value)) throw new FrameError('not_an_object', 'a frame must be a JSON object');
  return parsed.value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A required string field. */
export function str(obj: JsonObject, key: string, { allowEmpty = true } = {}): string {
  const value = obj[key];
  if (typeof value !== 'string' || (!allowEmpty && value === ''))
    throw new FrameError(
      'invalid_field',
      `field "${key}" must be a ${allowEmpty ? '' : 'non-empty '}string, got ${describe(value)}`,
      key,
    );
  return value;
}

/** An optional string field (null counts as absent). */
export function optStr(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new FrameError('invalid_field', `field "${key}" must be a string, got ${describe(value)}`, key);
  return value;
}

/** An optional finite number field. */
export function optNum(obj: JsonObject, key: string): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new FrameError('invalid_field', `field "${key}" must be a number, got ${describe(value)}`, key);
  return value;
}

/** An optional boolean field. */
export function optBool(obj: JsonObject, key: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new FrameError('invalid_field', `field "${key}" must be a boolean, got ${describe(value)}`, key);
  return value;
}

/** An optional object field. */
export function optObj(obj: JsonObject, key: string): JsonObject | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value))
    throw new FrameError('invalid_field', `field "${key}" must be an object, got ${describe(value)}`, key);
  return value;
}

/** A non-negative integer (a token count), or undefined when absent or not one. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** The ProtocolError of a frame that could not be read (`what` names the frame's type when known). */
export function frameError(error: unknown, data: string, what: string | undefined): ProtocolError {
  const prefix = what === undefined ? '' : `${what}: `;
  if (error instanceof FrameError) {
    return new ProtocolError(error.code, `${prefix}${error.message}`, {
      ...(error.field !== undefined && { field: error.field }),
      excerpt: excerptOf(data),
    });
  }
  return new ProtocolError('invalid_field', `${prefix}${String(error)}`, { excerpt: excerptOf(data) });
}

/** Text for people from a JSON value: strings as they are, anything else as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    const json: unknown = JSON.stringify(value);
    return typeof json === 'string' ? json : typeof value;
  } catch {
    return `[${typeof value}]`;
  }
}

/** Parse JSON text that may be incomplete or invalid (streamed tool arguments): the value, or the text itself. */
export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
