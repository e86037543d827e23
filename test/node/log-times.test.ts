import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toSnapshot } from '../../src/store/index.ts';
import { clockedStore, type EventBody } from '../shared/clocked-store.ts';

describe('client receipt times of log entries', () => {
  it('stamps each log entry with the time it was applied, beside the log and not in its events', () => {
    const { store, feed, tick } = clockedStore(1_000);
    feed({ type: 'status', state: 'running' }, { type: 'step', name: 'plan', state: 'started' });
    tick(250);
    feed({ type: 'token', content: 'hi' }, { type: 'log', level: 'info', message: 'x' });
    store.reportError({ code: 'malformed_json', message: 'bad frame' });
    assert.equal(store.$state.get().log.length, 3);
    assert.deepEqual([store.times.at(0), store.times.at(1), store.times.at(2)], [1_000, 1_250, 1_250]);
    assert.equal(store.times.at(3), undefined);
    const event = store.$state.get().log.at(0)!;
    assert.equal(event.kind === 'event' && 'received' in event.event, false);
    assert.ok(!JSON.stringify(toSnapshot(store.$state.get())).includes('1250'), 'no client time in the snapshot');
  });

  it('keeps the times of entries it had already applied across a snapshot rebuild; new ones have none', () => {
    const { store, feed, tick } = clockedStore(1_000);
    feed({ type: 'step', name: 'a', state: 'started' }, { type: 'log', level: 'info', message: 'one' });
    const snapshot = toSnapshot(store.$state.get());
    snapshot.log.push({ type: 'log', level: 'info', message: 'two', run_id: 'r1', seq: 3 });
    snapshot.last_seq = 3;
    tick(5_000);
    store.applySnapshot(snapshot);
    assert.deepEqual([store.times.at(0), store.times.at(1), store.times.at(2)], [1_000, 1_000, undefined]);
    store.apply({ type: 'log', level: 'info', message: 'three', run_id: 'r1', seq: 4 });
    assert.equal(store.times.at(3), 6_000);
    store.reset();
    assert.equal(store.times.length, 0);
  });

  it('grows past its first capacity', () => {
    const { store, feed } = clockedStore(1_000);
    const many: EventBody[] = [];
    for (let i = 0; i < 1_000; i++) many.push({ type: 'log', level: 'debug', message: `${i}` });
    feed(...many);
    assert.equal(store.times.length, 1_000);
    assert.equal(store.times.at(999), 1_000);
  });
});
