/**
 * Fuzz: the reducer and the ordered sink keep their invariants whatever order and however often
 * the events of a run arrive — lastSeq only grows, one step at a time; the text is always the
 * concatenation of the applied tokens in seq order; a duplicate changes nothing (same object);
 * catching up (in order, through the sink, or from a snapshot) ends equal to the server's state.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SequencedEvent } from '../../src/protocol/index.ts';
import {
  classify,
  createRunStore,
  fromSnapshot,
  fullText,
  initialState,
  reduce,
  reduceAll,
  toSnapshot,
  createOrderedSink,
  type RunStoreState,
} from '../../src/store/index.ts';
import { createFakeClock } from '../shared/fake-clock.ts';
import { serverRun } from '../shared/arbitraries.ts';
import { fuzzParams } from '../shared/fuzz.ts';

/** The state the server has after its first `upTo` events. */
const truth = (events: readonly SequencedEvent[], upTo: number): RunStoreState =>
  reduceAll(initialState('r1'), events.slice(0, upTo));
/** The comparable part of a state (what a snapshot holds). */
const view = (state: RunStoreState): unknown => JSON.parse(JSON.stringify(toSnapshot(state)));
/** The text after the first `upTo` events: tokens and whole messages in arrival order, less the messages reset. */
const tokensUpTo = (events: readonly SequencedEvent[], upTo: number): string => {
  let chunks: { id: string; content: string }[] = [];
  for (const e of events) {
    if (e.seq > upTo) break;
    if (e.type === 'token') chunks.push({ id: e.message_id ?? 'default', content: e.content });
    else if (e.type === 'message' && e.content) chunks.push({ id: e.message_id, content: e.content });
    else if (e.type === 'message_reset') chunks = chunks.filter((c) => c.id !== e.message_id);
  }
  return chunks.map((c) => c.content).join('');
};

/** A run and a delivery of its events: any seqs, any order, duplicates, some missing. */
const runAndDelivery = serverRun('r1', 30).chain((events) =>
  fc.tuple(fc.constant(events), fc.array(fc.integer({ min: 1, max: events.length }), { maxLength: events.length * 3 })),
);
/** A run and a delivery that holds every event at least once, shuffled, with duplicates. */
const runAndFullDelivery = serverRun('r1', 30).chain((events) =>
  fc.tuple(
    fc.constant(events),
    fc
      .tuple(
        fc.shuffledSubarray(
          events.map((e) => e.seq),
          { minLength: events.length },
        ),
        fc.array(fc.integer({ min: 1, max: events.length }), { maxLength: events.length }),
      )
      .chain(([all, extra]) => fc.shuffledSubarray([...all, ...extra], { minLength: all.length + extra.length })),
  ),
);

describe('fuzz: reducer invariants under arbitrary orders and duplicates', () => {
  it('lastSeq grows one step per applied event; text = applied tokens in seq order; duplicates are no-ops; gaps are recorded', () => {
    fc.assert(
      fc.property(runAndDelivery, ([events, delivery]) => {
        let state = initialState('r1');
        for (const seq of delivery) {
          const event = events[seq - 1]!;
          const before = state;
          const outcome = classify(before, event);
          state = reduce(before, event);
          if (outcome === 'applied') {
            assert.equal(state.lastSeq, before.lastSeq + 1);
            assert.equal(state.lastSeq, seq);
          } else if (outcome === 'duplicate') {
            assert.equal(state, before, 'a duplicate returns the same state object');
            assert.ok(seq <= before.lastSeq);
          } else {
            assert.equal(state.lastSeq, before.lastSeq, 'a gap is not applied');
            assert.equal(state.text, before.text);
            assert.ok(
              state.resync !== null && state.resync.received >= seq && state.resync.expected <= state.lastSeq + 1,
              'the gap is recorded',
            );
          }
          assert.ok(
            state.resync === null || state.resync.received > state.lastSeq,
            'a recorded gap is ahead of what was applied',
          );
          assert.equal(fullText(state.text), tokensUpTo(events, state.lastSeq));
          // Re-applying anything already applied changes nothing.
          const again = events[Math.max(0, state.lastSeq - 1)];
          if (again && state.lastSeq > 0) assert.equal(reduce(state, again), state);
        }
        assert.deepEqual(view(state), view(truth(events, state.lastSeq)));
        // Catching up in order from where it stands ends equal to the server's state.
        const caughtUp = reduceAll(state, events);
        assert.deepEqual(view(caughtUp), view(truth(events, events.length)));
        assert.equal(caughtUp.resync, null);
      }),
      fuzzParams(500),
    );
  });

  it('a snapshot taken at any point, then the events after it, ends equal to the server state', () => {
    fc.assert(
      fc.property(runAndDelivery, fc.nat(), ([events, delivery], at) => {
        let state = initialState('r1');
        for (const seq of delivery) state = reduce(state, events[seq - 1]!);
        const cut = at % (events.length + 1);
        if (cut > state.lastSeq) state = fromSnapshot(state, toSnapshot(truth(events, cut)));
        assert.ok(state.lastSeq >= Math.min(cut, state.lastSeq));
        for (const event of events) state = reduce(state, event);
        assert.deepEqual(view(state), view(truth(events, events.length)));
      }),
      fuzzParams(400),
    );
  });
});

describe('fuzz: the ordered sink in front of the store', () => {
  it('any order with duplicates reaches the store in seq order, each event applied exactly once', () => {
    fc.assert(
      fc.property(runAndFullDelivery, fc.array(fc.boolean(), { maxLength: 120 }), ([events, delivery], flushes) => {
        const store = createRunStore('r1');
        let gaps = 0;
        const sink = createOrderedSink(store, createFakeClock(), 1000);
        const attached = new AbortController();
        sink.attach({
          signal: attached.signal,
          resume: () => gaps++,
          rebuild: () => Promise.reject(new Error('no rebuild expected: every event arrives')),
        });
        let lastSeq = 0;
        const unsubscribe = store.$state.listen((s) => {
          assert.ok(s.lastSeq >= lastSeq, 'lastSeq never goes back');
          lastSeq = s.lastSeq;
          assert.equal(fullText(s.text), tokensUpTo(events, s.lastSeq));
        });
        delivery.forEach((seq, i) => {
          sink.event(events[seq - 1]!);
          if (flushes[i]) sink.flush();
        });
        sink.flush();
        unsubscribe();
        attached.abort();
        assert.equal(store.stats.applied, events.length, 'each event applied once');
        assert.equal(store.stats.gaps, 0, 'the store never sees a gap: the sink holds early events');
        assert.deepEqual(view(store.$state.get()), view(truth(events, events.length)));
        assert.ok(gaps <= delivery.length);
      }),
      fuzzParams(400),
    );
  });
});
