/** Helpers shared by the benchmark pages: a run handle with no network, frames, deterministic tokens. */
import { createLocalRun } from '../../src/run/index.ts';
import type { RunHandle } from '../../src/run/types.ts';
import type { RunStore } from '../../src/store/index.ts';

/** A run handle over `store` that never connects: the benchmark feeds the store itself. */
export function offlineRun(store: RunStore, runId = 'bench'): RunHandle {
  return createLocalRun({ runId, store, reply: () => Promise.resolve('accepted'), cancel: () => Promise.resolve() });
}

/** Resolve on the next animation frame (with its timestamp). */
export function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

/** Resolve after `n` animation frames. */
export async function frames(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nextFrame();
}

const WORDS = [
  'the',
  'agent',
  'reads',
  'a',
  'file',
  'and',
  'then',
  'writes',
  'tests',
  'for',
  'each',
  'module',
  'so',
  'that',
  'every',
  'change',
  'is',
  'checked',
  'before',
  'deploy',
  'stream',
  'token',
  'event',
  'server',
  'client',
  'state',
  'reducer',
  'snapshot',
  'resume',
  'cursor',
  'sequence',
  'number',
  'gap',
  'duplicate',
  'heartbeat',
  'proxy',
  'buffer',
  'approval',
  'prompt',
  'answer',
  'progress',
  'step',
  'plan',
  'build',
  'run',
  'log',
  'tool',
  'call',
];

/**
 * Token `i` of a model-like stream: a word with its leading space, a full stop every 17 tokens
 * and a paragraph break every 240 (what the mock server's filler does, plus paragraphs).
 * Built fresh each call, as a decoded network string would be.
 */
export function token(i: number): string {
  const word = WORDS[(i * 7919 + (i >> 3)) % WORDS.length]!;
  if (i === 0) return word[0]!.toUpperCase() + word.slice(1);
  if (i % 240 === 239) return ` ${word}.\n\n`;
  return i % 17 === 16 ? ` ${word}.` : ` ${word}`;
}
