/** A run store whose client clock the test sets, fed events in seq order (for the store's receipt times and its reading of the server's clock). */
import type { RunEvent } from '../../src/protocol/index.ts';
import { createRunStore, type RunStore } from '../../src/store/index.ts';

/** An event without the fields the feed fills in. */
export type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'run_id' | 'seq'> : never) : never;

/** A store for run `r1` whose clock reads `start` ms since the epoch until `tick` moves it. */
export function clockedStore(start: number): {
  store: RunStore;
  feed: (...events: EventBody[]) => void;
  tick: (ms: number) => number;
} {
  let now = start;
  const store = createRunStore('r1', { now: () => now });
  let seq = 0;
  const feed = (...events: EventBody[]): void =>
    store.applyAll(events.map((e) => ({ ...e, run_id: 'r1', seq: ++seq })));
  return { store, feed, tick: (ms) => (now += ms) };
}
