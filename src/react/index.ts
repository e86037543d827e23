/**
 * agentwire for React 19 (`agentwire/react`): `useRun` (a run handle and its current state,
 * connected while the component is mounted) and `useStore` (any nanostores store as a value).
 * React is an optional peer dependency; nothing here is needed to render the elements, which
 * React 19 supports natively (properties as props, events as `on<event>` props).
 */
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ReadableAtom } from 'nanostores';
import { hasRun, runOptionsKey } from '../bindings/run-key.ts';
import { connectRun } from '../run/connect.ts';
import type { ConnectRunOptions, RunHandle } from '../run/types.ts';
import type { RunStoreState } from '../store/state.ts';

/** What `useRun` returns: the handle and the run's current state (both undefined while no run is named). */
export interface UseRunResult {
  /** The run's handle: give it to elements as `run={run}`, call `run.reply(...)`, `run.cancel()`. */
  readonly run: RunHandle | undefined;
  /** The run's whole state; the component re-renders on every change. */
  readonly state: RunStoreState | undefined;
}

const noop = (): void => undefined;
const noSubscription = (): (() => void) => noop;
const nothing = (): undefined => undefined;

/** The current value of a nanostores store (undefined for none), re-rendering when it changes. */
export function useStore<T>($store: ReadableAtom<T>): T;
/** The current value of a store that may be absent (undefined then), re-rendering when it changes. */
export function useStore<T>($store: ReadableAtom<T> | null | undefined): T | undefined;
export function useStore<T>($store: ReadableAtom<T> | null | undefined): T | undefined {
  const subscribe = useCallback((onChange: () => void) => ($store ? $store.listen(onChange) : noop), [$store]);
  // nanostores keep values immutable and computed stores cache theirs: get() is a stable snapshot.
  const get = useMemo(() => ($store ? () => $store.get() : nothing), [$store]);
  return useSyncExternalStore($store ? subscribe : noSubscription, get, get);
}

/** Handles this hook disconnected in an effect cleanup, to reconnect if the same component mounts again (StrictMode). */
const parked = new WeakSet<RunHandle>();

/**
 * Connect a run for as long as the component is mounted: `connectRun(options)` once per run
 * (new options that pick another run, backend, transport or paths give a new handle), the
 * connection opened while the state is watched, and `disconnect()` on unmount. Pass null (or
 * no `runId`) to connect nothing. The run keeps going on the server after unmount.
 */
export function useRun(options: ConnectRunOptions | null | undefined): UseRunResult {
  const named = hasRun(options);
  const key = named ? runOptionsKey(options) : null;
  const store = options?.store;
  const clock = options?.clock;
  // connectRun only creates stores: it is pure enough for render, and nothing connects until
  // something listens. The key stands for the options' contents, so inline objects are fine.
  const run = useMemo(() => (named ? connectRun(options) : undefined), [key, store, clock]);
  useEffect(() => {
    if (!run) return undefined;
    if (parked.delete(run)) run.reconnect();
    return () => {
      parked.add(run);
      run.disconnect();
    };
  }, [run]);
  const state = useStore(run?.$state);
  return { run, state };
}
