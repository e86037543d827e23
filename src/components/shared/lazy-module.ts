/**
 * A module an element loads with `import()` on first use, once for the page. A failed load is not
 * retried: the element then keeps its fallback. The `import()` stays at the caller, so bundlers
 * still put the module in a chunk of its own.
 */

/** A module loaded on first use. */
export interface LazyModule<M> {
  /** The module when it is loaded, else null. */
  readonly module: M | null;
  /** True when it could not be loaded. */
  readonly failed: boolean;
  /** Load it (once); settles when it is loaded or has failed. */
  load(): Promise<void>;
}

/** The module `importer` loads, on first `load()`. */
export function lazyModule<M>(importer: () => Promise<M>): LazyModule<M> {
  let module: M | null = null;
  let failed = false;
  let loading: Promise<void> | null = null;
  return {
    get module() {
      return module;
    },
    get failed() {
      return failed;
    },
    load: () =>
      (loading ??= importer().then(
        (loaded) => {
          module = loaded;
        },
        () => {
          failed = true;
        },
      )),
  };
}

/** True while `chunk` is neither loaded nor failed: what needs it waits (a failed one leaves the fallback). */
export function waitsFor(chunk: LazyModule<unknown>): boolean {
  return chunk.module === null && !chunk.failed;
}
