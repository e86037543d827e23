/** Reading request bodies as JSON: size-limited (413) and parsed (400 on malformed JSON). */
import { HttpError } from '../errors.ts';
import type { ServerRequest } from './request.ts';

/** The 413 answer for a body over `limit` bytes. */
export function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `request body exceeds ${limit} bytes`, {
    headers: { Connection: 'close' },
  });
}

/** Read and parse a JSON body; an empty body is `{}`. */
export async function readJsonBody(request: ServerRequest, limit: number): Promise<unknown> {
  const text = await request.readText(limit);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(
      400,
      'malformed_json',
      `request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** True for a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
