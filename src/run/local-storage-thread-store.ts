/**
 * `localStorageThreadStore`: a ThreadStore over `localStorage` (an example implementation: one
 * JSON entry per thread, `{"version":1,"turns":[…]}`). An entry that does not parse is set aside
 * under `<key>:corrupt` (so a later save never destroys it) and reported as `corrupt_thread`.
 */
import { parseTurns, ThreadStoreError, type ThreadStore } from './thread-store.ts';

/** Options of `localStorageThreadStore`. */
export interface LocalStorageThreadStoreOptions {
  /** Prefix of the keys (default `agentwire:thread:`). */
  prefix?: string;
  /** The storage (default `localStorage`; `sessionStorage` works too). */
  storage?: Storage;
}

/** A ThreadStore keeping each thread's turns in `localStorage` under `<prefix><thread id>`. */
export function localStorageThreadStore(options: LocalStorageThreadStoreOptions = {}): ThreadStore {
  const prefix = options.prefix ?? 'agentwire:thread:';
  const storage = (): Storage => {
    try {
      // Reading `localStorage` throws where storage is blocked; it is undefined outside browsers.
      const found = options.storage ?? ('localStorage' in globalThis ? globalThis.localStorage : undefined);
      if (found !== undefined) return found;
    } catch (cause) {
      throw new ThreadStoreError('storage_unavailable', 'localStorage is not available here', { cause });
    }
    throw new ThreadStoreError('storage_unavailable', 'localStorage is not available here');
  };
  return {
    load(threadId) {
      const key = prefix + threadId;
      const raw = storage().getItem(key);
      if (raw === null) return [];
      let turns = null;
      try {
        const parsed = JSON.parse(raw) as unknown;
        if (typeof parsed === 'object' && parsed !== null && (parsed as { version?: unknown }).version === 1)
          turns = parseTurns((parsed as { turns?: unknown }).turns);
      } catch {
        turns = null;
      }
      if (turns === null) {
        storage().setItem(`${key}:corrupt`, raw);
        storage().removeItem(key);
        throw new ThreadStoreError(
          'corrupt_thread',
          `the kept thread "${threadId}" is not a list of turns (set aside under "${key}:corrupt")`,
        );
      }
      return turns;
    },
    save(threadId, turns) {
      try {
        storage().setItem(prefix + threadId, JSON.stringify({ version: 1, turns }));
      } catch (cause) {
        if (cause instanceof ThreadStoreError) throw cause;
        throw new ThreadStoreError(
          'quota_exceeded',
          `the thread "${threadId}" could not be kept: the storage is full`,
          {
            cause,
          },
        );
      }
    },
  };
}
