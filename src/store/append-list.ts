/**
 * A persistent append-only list. `push` returns a new view in O(1) while the shared backing
 * array is only ever extended from its newest view; pushing onto an older view copies first,
 * so every view keeps exactly the items it was created with.
 */
export class AppendList<T> implements Iterable<T> {
  private constructor(
    private readonly items: T[],
    /** Number of items in this view. */
    readonly length: number,
  ) {}

  /** An empty list. */
  static empty<T>(): AppendList<T> {
    return new AppendList<T>([], 0);
  }

  /** A list holding a copy of `items`. */
  static from<T>(items: Iterable<T>): AppendList<T> {
    const copy = [...items];
    return new AppendList(copy, copy.length);
  }

  /** A new view with `item` appended; O(1) unless this view is not the newest (then O(n) once). */
  push(item: T): AppendList<T> {
    const items = this.items.length === this.length ? this.items : this.items.slice(0, this.length);
    items.push(item);
    return new AppendList(items, this.length + 1);
  }

  /** The item at `index` (negative counts from the end), or undefined outside this view. */
  at(index: number): T | undefined {
    const i = index < 0 ? this.length + index : index;
    return i >= 0 && i < this.length ? this.items[i] : undefined;
  }

  /** True when this view holds every item of `earlier` first, in order (it was appended to from it). */
  extends(earlier: AppendList<T>): boolean {
    return earlier.items === this.items && earlier.length <= this.length;
  }

  /** Items in [start, end) of this view, as a new array. */
  slice(start = 0, end: number = this.length): T[] {
    return this.items.slice(Math.max(0, start), Math.min(end, this.length));
  }

  /** All items of this view, as a new array. */
  toArray(): T[] {
    return this.items.slice(0, this.length);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.items[i]!;
  }
}

/**
 * A persistent map whose keys are written once. Each view sees the entries written up to its
 * own revision; writing from an older view copies the visible entries first.
 */
export class WriteOnceMap<K, V> {
  private constructor(
    private readonly shared: { map: Map<K, { value: V; rev: number }>; rev: number },
    private readonly rev: number,
  ) {}

  /** An empty map. */
  static empty<K, V>(): WriteOnceMap<K, V> {
    return new WriteOnceMap<K, V>({ map: new Map(), rev: 0 }, 0);
  }

  /** The value for `key` visible in this view. */
  get(key: K): V | undefined {
    const entry = this.shared.map.get(key);
    return entry !== undefined && entry.rev <= this.rev ? entry.value : undefined;
  }

  /** True when `key` has a value in this view. */
  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** The values visible in this view, in the order their keys were written. */
  *values(): IterableIterator<V> {
    for (const entry of this.shared.map.values()) if (entry.rev <= this.rev) yield entry.value;
  }

  /** A new view with `key` set; returns this view unchanged when `key` already has a value. */
  set(key: K, value: V): WriteOnceMap<K, V> {
    if (this.has(key)) return this;
    let shared = this.shared;
    if (shared.rev !== this.rev) {
      const map = new Map<K, { value: V; rev: number }>();
      for (const [k, e] of shared.map) if (e.rev <= this.rev) map.set(k, e);
      shared = { map, rev: this.rev };
    }
    const rev = this.rev + 1;
    shared.map.set(key, { value, rev });
    shared.rev = rev;
    return new WriteOnceMap(shared, rev);
  }
}
