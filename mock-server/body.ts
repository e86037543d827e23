/** Reading request bodies: size-limited (413) and JSON-parsed (400 on malformed JSON). */
import type { IncomingMessage } from 'node:http';
import { MAX_REQUEST_BODY_BYTES } from '../src/protocol/index.ts';
import { HttpError } from './errors.ts';
import { MAX_DRAIN_BYTES } from './limits.ts';

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `request body exceeds ${limit} bytes`, {
    headers: { Connection: 'close' },
  });
}

/** Read the whole body as UTF-8 text, refusing more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number = MAX_REQUEST_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    let received = 0;
    let refused = false;
    const chunks: Buffer[] = [];
    const refuse = (): void => {
      refused = true;
      chunks.length = 0;
      reject(tooLarge(limit));
    };
    if (Number.isFinite(declared) && declared > limit) refuse();
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (refused) {
        // Drain a bounded amount so the 413 reaches the client, then cut the connection.
        if (received > limit + MAX_DRAIN_BYTES) req.socket.destroy();
        return;
      }
      if (received > limit) refuse();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      if (!refused) reject(err);
    });
  });
}

/** Read and parse a JSON body; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage, limit?: number): Promise<unknown> {
  const text = await readBody(req, limit);
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
