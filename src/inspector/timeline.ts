/** A bounded, append-only list: once full, every append drops the oldest item (counted). O(1) append and index. */

/** The bounded list. */
export class Timeline<T> {
  private items: (T | undefined)[] = [];
  private start = 0;
  private size = 0;
  /** Items dropped from the front since creation (or the last clear). */
  dropped = 0;

  /** `capacity`: most items kept (at least 1). */
  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Items kept now. */
  get length(): number {
    return this.size;
  }

  /** Append one item (dropping the oldest when full). */
  push(item: T): void {
    if (this.size < this.capacity) {
      this.items[(this.start + this.size) % this.capacity] = item;
      this.size++;
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    this.dropped++;
  }

  /** The item at `index` (0 = oldest kept), or undefined. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.size) return undefined;
    return this.items[(this.start + index) % this.capacity];
  }

  /** The items from `from` (index) on, oldest first. */
  slice(from = 0): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, from); i < this.size; i++) out.push(this.items[(this.start + i) % this.capacity]!);
    return out;
  }

  /** Forget every item. */
  clear(): void {
    this.items = [];
    this.start = 0;
    this.size = 0;
    this.dropped = 0;
  }
}
