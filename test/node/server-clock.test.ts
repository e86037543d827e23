/**
 * The client's reading of the server's clock (src/store/server-clock.ts): deadlines such as
 * `expires_at` are the server's, and a client's clock may be minutes off.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSnapshot } from '../../src/protocol/index.ts';
import { toSnapshot } from '../../src/store/index.ts';
import { clockedStore } from '../shared/clocked-store.ts';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

describe("the server's clock, as the client reads it", () => {
  it('is the client clock until the server sends a stamp', () => {
    const { store, feed } = clockedStore(T0);
    feed({ type: 'status', state: 'running' }, { type: 'token', content: 'hi' });
    assert.equal(store.clock.offset, 0);
    assert.equal(store.clock.now(), T0);
  });

  it("reads the offset from an event's `at`: a client 2 minutes ahead, or behind", () => {
    const ahead = clockedStore(T0 + 120_000);
    ahead.feed({ type: 'need_input', prompt: 'ok?', resume_token: 't', at: iso(T0) });
    assert.equal(ahead.store.clock.offset, -120_000);
    assert.equal(ahead.store.clock.now(), T0);
    const behind = clockedStore(T0 - 120_000);
    behind.feed({ type: 'step', name: 'plan', state: 'started', at: iso(T0) });
    assert.equal(behind.store.clock.offset, 120_000);
    behind.tick(1_000);
    assert.equal(behind.store.clock.now(), T0 + 1_000, 'then runs with the client clock');
  });

  it('keeps the quickest stamp: one replayed long after it was made (a resume, a log) does not lower it', () => {
    const { store, feed, tick } = clockedStore(T0 + 120_000);
    feed({ type: 'step', name: 'plan', state: 'started', at: iso(T0) });
    tick(30_000);
    // Sent 10 s ago by the server's clock (replayed): reads as an offset 10 s lower.
    feed({ type: 'step', name: 'plan', state: 'finished', at: iso(T0 + 20_000) });
    assert.equal(store.clock.offset, -120_000);
    // A stamp that took less time to arrive than the first raises it.
    feed({ type: 'log', level: 'info', message: 'x', at: iso(T0 + 30_050) });
    assert.equal(store.clock.offset, -119_950);
  });

  it("reads a snapshot's server_time (the time it was served), not the age of the events in it", () => {
    const { store, feed } = clockedStore(T0);
    // Asked an hour before the snapshot was served: its `at` is old, the snapshot's time is not.
    feed({ type: 'need_input', prompt: 'ok?', resume_token: 't', at: iso(T0 + 60_000 - 3_600_000) });
    const snapshot = { ...toSnapshot(store.$state.get()), server_time: iso(T0 + 60_000) };
    const reloaded = clockedStore(T0);
    reloaded.store.applySnapshot(snapshot);
    assert.equal(reloaded.store.clock.offset, 60_000);
  });

  it('ignores a stamp that is not a time', () => {
    const { store } = clockedStore(T0);
    store.applySnapshot({ ...toSnapshot(store.$state.get()), server_time: 'soon' });
    assert.equal(store.clock.offset, 0);
  });

  it("decodes a snapshot's server_time as ISO 8601 (or epoch ms); one that is not a time is left out, the snapshot kept", () => {
    const served = (time: unknown) => {
      const decoded = decodeSnapshot({ run_id: 'r1', state: 'running', last_seq: 0, server_time: time });
      assert.ok(decoded.ok, 'the snapshot decodes');
      return decoded.value.snapshot.server_time;
    };
    assert.equal(served('2030-01-01T00:00:00Z'), '2030-01-01T00:00:00.000Z');
    assert.equal(served(T0 + 1_500), '2030-01-01T00:00:01.500Z');
    assert.equal(served('soon'), undefined);
    assert.equal(served({}), undefined);
  });
});
