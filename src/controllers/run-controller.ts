/** Finds an element's run handle (its own `.run`, else the one `<agent-run>` provides) and follows that run's stores. */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { computed, type ReadableAtom } from 'nanostores';
import { runContext } from '../context/run-context.ts';
import type { RunHandle } from '../run/types.ts';
import { StoreController, type StoreControllerOptions } from './store-controller.ts';

/** An element that shows a run: `.run` set directly wins over the provided one. */
export type RunHost = ReactiveControllerHost & HTMLElement & { run?: RunHandle | undefined };

interface Binding {
  select: (run: RunHandle) => ReadableAtom<unknown>;
  controller: StoreController<unknown>;
}

/**
 * Resolves the host's run handle and keeps store subscriptions on it while the host is
 * connected (so a lazily connected run stays open exactly as long as something shows it).
 * A changed `.run` is picked up in `hostUpdate`, which Lit calls after `willUpdate`: derive
 * state from the bound stores in `update()` (before `super.update()`) or `render()`.
 */
export class RunController implements ReactiveController {
  /** The handle in use, if any. */
  handle: RunHandle | undefined;
  private readonly consumer: ContextConsumer<typeof runContext, RunHost>;
  private readonly bindings: Binding[] = [];

  /** `onHandle` runs when the handle changes, before any store of the new one reports. */
  constructor(
    private readonly host: RunHost,
    private readonly onHandle?: (handle: RunHandle | undefined) => void,
  ) {
    host.addController(this);
    this.consumer = new ContextConsumer(host, { context: runContext, subscribe: true, callback: () => this.resolve() });
  }

  /** Follow the store `select` picks from the current (and every later) handle. */
  bind<T>(select: (run: RunHandle) => ReadableAtom<T>, options?: StoreControllerOptions<T>): StoreController<T> {
    const controller = new StoreController<T>(this.host, this.handle && select(this.handle), options);
    this.bindings.push({ select, controller: controller as StoreController<unknown> });
    return controller;
  }

  hostConnected(): void {
    this.resolve();
  }

  hostUpdate(): void {
    this.resolve();
  }

  private resolve(): void {
    const next = this.host.run ?? this.consumer.value;
    if (next === this.handle) return;
    this.handle = next;
    this.onHandle?.(next);
    for (const { select, controller } of this.bindings) controller.store = next && select(next);
    this.host.requestUpdate();
  }
}

/** Whether the run's server numbers its events (null before the first; false for a plain server: no exactly-once). */
export function sequencedOf(run: RunHandle): ReadableAtom<boolean | null> {
  return computed(run.$state, (state) => state.sequenced);
}
