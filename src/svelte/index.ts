/**
 * agentwire for Svelte 5 (`agentwire/svelte`). A run handle's stores are nanostores stores, and
 * those already keep Svelte's store contract: `$status`, `$text` work in components as they are.
 * This adds `useRun`, which disconnects with the component, and `asReadable` for APIs typed
 * with `svelte/store`. Svelte is an optional peer dependency.
 */
import { onDestroy } from 'svelte';
import type { Readable } from 'svelte/store';
import type { ReadableAtom } from 'nanostores';
import { connectRun } from '../run/connect.ts';
import type { ConnectRunOptions, RunHandle } from '../run/types.ts';

/**
 * Connect a run for the lifetime of the calling component (call it during component
 * initialisation): `connectRun(options)`, whose stores connect while subscribed, and
 * `disconnect()` when the component is destroyed. For another run, key the component
 * (`{#key runId}`) so a new one is created.
 */
export function useRun(options: ConnectRunOptions): RunHandle {
  const run = connectRun(options);
  onDestroy(() => run.disconnect());
  return run;
}

/**
 * A nanostores store as Svelte's `Readable` type. It is the same object: this function only
 * proves, at compile time, that nanostores' `subscribe` keeps Svelte's store contract.
 */
export function asReadable<T>($store: ReadableAtom<T>): Readable<T> {
  return $store;
}
