import type { RawData } from 'ws';

/** A `ws` message as UTF-8 text, whichever of its three shapes (Buffer, Buffer[] fragments, ArrayBuffer) it arrived in. */
export function rawDataText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
