/** What framework bindings share: when do new connect options mean a new run handle. */
import type { ConnectRunOptions } from '../run/types.ts';

/**
 * A stable key of the options that pick a connection (run, backend, transport, paths, ...):
 * equal keys mean the same handle can be kept. `store` and `clock` are objects compared by
 * identity, so they are left out here and compared separately.
 */
export function runOptionsKey(options: ConnectRunOptions): string {
  const { store: _store, clock: _clock, ...plain } = options;
  return JSON.stringify(plain, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/** True when `options` names a run to connect (a non-empty `runId`). */
export function hasRun(options: ConnectRunOptions | null | undefined): options is ConnectRunOptions {
  return options !== null && options !== undefined && options.runId !== '';
}
