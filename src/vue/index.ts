/**
 * agentwire for Vue 3 (`agentwire/vue`): `useRun` (a run handle and its state as refs, connected
 * while the calling scope lives) and `useStore` (any nanostores store as a ref). Vue is an
 * optional peer dependency; the elements themselves need none of this (bind objects with
 * `:run.prop`, listen with `@approval-settle`, and tell Vue the tags are custom elements).
 */
import {
  getCurrentScope,
  markRaw,
  onScopeDispose,
  shallowReadonly,
  shallowRef,
  toValue,
  watch,
  type MaybeRefOrGetter,
  type ShallowRef,
} from 'vue';
import type { ReadableAtom } from 'nanostores';
import { hasRun, runOptionsKey } from '../bindings/run-key.ts';
import { connectRun } from '../run/connect.ts';
import type { ConnectRunOptions, RunHandle } from '../run/types.ts';
import type { RunStoreState } from '../store/state.ts';

/** What `useRun` returns: read-only refs of the handle and of the run's current state. */
export interface UseRunResult {
  /** The run's handle (undefined while no run is named): bind it with `:run.prop="run"`. */
  readonly run: Readonly<ShallowRef<RunHandle | undefined>>;
  /** The run's whole state (undefined while no run is named). */
  readonly state: Readonly<ShallowRef<RunStoreState | undefined>>;
}

/** Run `cleanup` when the current effect scope (component, `effectScope()`) is disposed. */
function onDispose(cleanup: () => void): void {
  if (getCurrentScope()) onScopeDispose(cleanup);
}

/** A nanostores store (or a ref/getter of one) as a read-only ref, unsubscribed with the calling scope. */
export function useStore<T>($store: ReadableAtom<T>): Readonly<ShallowRef<T>>;
/** A store that may be absent (or a ref/getter of one) as a read-only ref, undefined while there is none. */
export function useStore<T>(
  $store: MaybeRefOrGetter<ReadableAtom<T> | null | undefined>,
): Readonly<ShallowRef<T | undefined>>;
export function useStore<T>(
  $store: MaybeRefOrGetter<ReadableAtom<T> | null | undefined>,
): Readonly<ShallowRef<T | undefined>> {
  const value = shallowRef<T | undefined>(undefined);
  let unbind: (() => void) | undefined;
  const stopWatch = watch(
    () => toValue($store),
    (store) => {
      unbind?.();
      unbind = store?.subscribe((v) => (value.value = v));
      if (!store) value.value = undefined;
    },
    { immediate: true },
  );
  onDispose(() => {
    stopWatch();
    unbind?.();
  });
  return shallowReadonly(value);
}

/**
 * Connect a run while the calling scope (usually a component's setup) lives: `connectRun` once
 * per run (options that pick another run, backend, transport or paths give a new handle and
 * disconnect the old), the state kept in a ref, and `disconnect()` when the scope is disposed.
 * `options` may be a ref or a getter; null (or an empty `runId`) connects nothing.
 */
export function useRun(options: MaybeRefOrGetter<ConnectRunOptions | null | undefined>): UseRunResult {
  const run = shallowRef<RunHandle | undefined>(undefined);
  const state = shallowRef<RunStoreState | undefined>(undefined);
  let unbind: (() => void) | undefined;

  const release = (): void => {
    unbind?.();
    unbind = undefined;
    run.value?.disconnect();
    run.value = undefined;
    state.value = undefined;
  };
  const stopWatch = watch(
    () => {
      const current = toValue(options);
      return hasRun(current) ? [runOptionsKey(current), current.store, current.clock] : null;
    },
    (picked, previous) => {
      if (picked && previous && picked.every((part, i) => part === previous[i])) return;
      release();
      const current = toValue(options);
      if (!hasRun(current)) return;
      const handle = markRaw(connectRun(current));
      run.value = handle;
      unbind = handle.$state.subscribe((s) => (state.value = s));
    },
    { immediate: true },
  );
  onDispose(() => {
    stopWatch();
    release();
  });
  return { run: shallowReadonly(run), state: shallowReadonly(state) };
}
