/**
 * A host-provided history store for conversations: where a thread's turns are kept when the
 * backend has no thread endpoint (localStorage, IndexedDB, the host's own API). A conversation
 * given one restores from it and saves to it; the backend's `GET` thread is not used.
 */
import type { Turn } from '../store/index.ts';

/** Keeps the turns of threads. Either method may be async; a thrown error is reported, never lost. */
export interface ThreadStore {
  /** The thread's turns, oldest first; an empty list for a thread it does not know. */
  load(threadId: string): readonly Turn[] | Promise<readonly Turn[]>;
  /** Keep the thread's turns: the whole list, replacing what was kept for it. */
  save(threadId: string, turns: readonly Turn[]): void | Promise<void>;
}

/** Why a thread store failed. */
export type ThreadStoreErrorCode =
  /** What was kept for the thread is not a list of turns (it is set aside, not overwritten). */
  | 'corrupt_thread'
  /** The storage is not available (blocked, private mode, no `localStorage`). */
  | 'storage_unavailable'
  /** The storage is full. */
  | 'quota_exceeded';

/** A thread store could not load or save. */
export class ThreadStoreError extends Error {
  /** Always `ThreadStoreError`. */
  override readonly name = 'ThreadStoreError';
  /** Machine-readable reason. */
  readonly code: ThreadStoreErrorCode;

  constructor(code: ThreadStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const ROLES: readonly string[] = ['user', 'assistant', 'tool', 'system'];

/** The turns in `value`, or null when it is not a list of turns. */
export function parseTurns(value: unknown): Turn[] | null {
  if (!Array.isArray(value)) return null;
  const turns: Turn[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) return null;
    const { key, runId, messageId, role, text } = item as Record<string, unknown>;
    if (
      typeof key !== 'string' ||
      typeof runId !== 'string' ||
      typeof messageId !== 'string' ||
      typeof role !== 'string' ||
      !ROLES.includes(role) ||
      typeof text !== 'string'
    )
      return null;
    turns.push({ key, runId, messageId, role: role as Turn['role'], text });
  }
  return turns;
}
