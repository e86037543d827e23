/** Read helpers over TextState: whole texts are joined only when asked for, never per token. */
import type { TextState } from './state.ts';

/** Each message's full text, in first-token order: `[messageId, text][]`. O(text). */
export function messageTexts(text: TextState): [string, string][] {
  const parts = new Map<string, string[]>();
  const runs = text.runs.toArray();
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    const end = runs[r + 1]?.start ?? text.chunks.length;
    let list = parts.get(run.messageId);
    if (!list) parts.set(run.messageId, (list = []));
    for (const chunk of text.chunks.slice(run.start, end)) list.push(chunk);
  }
  return [...parts].map(([id, list]) => [id, list.join('')]);
}

/** The full text of one message ('' when it has none). O(text). */
export function messageText(text: TextState, messageId: string): string {
  return messageTexts(text).find(([id]) => id === messageId)?.[1] ?? '';
}

/** All streamed text, every message concatenated in arrival order. O(text). */
export function fullText(text: TextState): string {
  return text.chunks.toArray().join('');
}

/** A newly streamed piece of text: `content` belongs to `messageId`; `chunkIndex` is its position in `chunks`. */
export interface TextDelta {
  messageId: string;
  content: string;
  chunkIndex: number;
}

/**
 * The chunks appended since `fromChunk`, coalesced per message: what a view must add to what it
 * already shows. O(new chunks + runs after fromChunk).
 */
export function textSince(text: TextState, fromChunk: number): TextDelta[] {
  const out: TextDelta[] = [];
  if (fromChunk >= text.chunks.length) return out;
  let r = findRun(text, fromChunk);
  let at = fromChunk;
  while (at < text.chunks.length && r < text.runs.length) {
    const run = text.runs.at(r)!;
    const end = text.runs.at(r + 1)?.start ?? text.chunks.length;
    if (end > at) out.push({ messageId: run.messageId, content: text.chunks.slice(at, end).join(''), chunkIndex: at });
    at = end;
    r++;
  }
  return out;
}

/** Index of the run containing chunk `index` (binary search over run starts). */
function findRun(text: TextState, index: number): number {
  let lo = 0;
  let hi = text.runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (text.runs.at(mid)!.start <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
