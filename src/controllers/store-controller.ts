/** A local ESM stand-in for @nanostores/lit's StoreController (that package ships CommonJS only). */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

/** How a StoreController reacts to a new value. */
export interface StoreControllerOptions<T> {
  /** Called with every value, starting with the current one when the subscription opens. */
  onChange?: (value: T) => void;
  /** Request a host update on every value (default true); false for values the host renders itself. */
  render?: boolean;
}

/** Subscribes its host to one nanostores store while the host is connected; the store can be swapped. */
export class StoreController<T> implements ReactiveController {
  /** The latest value, or undefined while no store is bound or the host is disconnected. */
  value: T | undefined;
  private bound: ReadableAtom<T> | undefined;
  private unsubscribe: (() => void) | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    store?: ReadableAtom<T>,
    private readonly options: StoreControllerOptions<T> = {},
  ) {
    this.bound = store;
    host.addController(this);
  }

  /** The store followed; setting another one resubscribes (while connected). */
  get store(): ReadableAtom<T> | undefined {
    return this.bound;
  }

  set store(store: ReadableAtom<T> | undefined) {
    if (store === this.bound) return;
    this.stop();
    this.bound = store;
    this.value = undefined;
    if (this.connected) this.start();
    if (this.options.render !== false) this.host.requestUpdate();
  }

  hostConnected(): void {
    this.connected = true;
    this.start();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stop();
  }

  private start(): void {
    if (this.bound === undefined || this.unsubscribe !== undefined) return;
    this.unsubscribe = this.bound.subscribe((value) => {
      this.value = value;
      this.options.onChange?.(value);
      if (this.options.render !== false) this.host.requestUpdate();
    });
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
