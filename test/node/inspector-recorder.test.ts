/** The recorder, recordings and replay, in Node: the sink's inputs recorded, exported, read back and replayed into an equal store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent, RunSnapshot } from '../../src/protocol/index.ts';
import { createOrderedSink, createRunStore, toSnapshot, type RunStoreState } from '../../src/store/index.ts';
import {
  createRecorder,
  parseRecording,
  percentile,
  RecordingError,
  replayRecording,
  replayRequestBody,
  stringifyRecording,
  toRecording,
} from '../../src/inspector/index.ts';
import { createFakeClock } from '../shared/fake-clock.ts';

const RUN = 'run_rec';
const token = (seq: number, content: string): RunEvent => ({
  type: 'token',
  run_id: RUN,
  seq,
  content,
  message_id: 'm1',
});

/** What the elements show of a run (connection state aside: a replay has no connection). */
function shown(state: RunStoreState): unknown {
  const { connection: _connection, ...rest } = state;
  return JSON.parse(JSON.stringify({ ...rest, snapshot: toSnapshot(state) }));
}

/** A run fed through a recorded sink: in turn, a duplicate, a gap held then released, a client error, a snapshot rebuild. */
function recordRun() {
  let now = 1_000;
  const recorder = createRecorder({ now: () => (now += 5) });
  const clock = createFakeClock();
  const store = createRunStore(RUN);
  const sink = createOrderedSink(store, clock, 5_000, recorder.tap);
  sink.event({ type: 'status', run_id: RUN, seq: 1, state: 'running' });
  sink.event(token(2, 'Hello'));
  sink.event(token(2, 'Hello')); // duplicate
  sink.event(token(4, ' there')); // held: 3 missing
  sink.event(token(3, ',')); // closes the gap: 3 applied, 4 released
  sink.error({ code: 'malformed_json', message: 'frame 7 is not JSON' });
  sink.flush();
  // A later gap closed by a snapshot rebuild.
  sink.event({ type: 'progress', run_id: RUN, seq: 7, pct: 80 });
  const snapshot: RunSnapshot = {
    ...toSnapshot(store.$state.get()),
    messages: [{ message_id: 'm1', text: 'Hello, there!' }],
    progress: { pct: 80, message: null },
    last_seq: 7,
  };
  sink.snapshot(snapshot, true);
  sink.event({ type: 'done', run_id: RUN, seq: 8, state: 'completed' });
  sink.flush();
  return { recorder, store };
}

describe('recorder', () => {
  it('keeps an entry per sink input with its outcome, and counts them', () => {
    const { recorder } = recordRun();
    const kinds = recorder.timeline.slice().map((e) => `${e.kind}${e.seq === null ? '' : `:${e.seq}`}`);
    assert.deepEqual(kinds, [
      'applied:1',
      'applied:2',
      'duplicate:2',
      'held:4',
      'applied:3',
      'released:4',
      'error',
      'held:7',
      'resync:7',
      'applied:8',
    ]);
    assert.equal(recorder.counters.duplicates, 1);
    assert.equal(recorder.counters.held, 2);
    assert.equal(recorder.counters.resyncs, 1);
    assert.equal(recorder.counters.applied, 5);
    assert.match(recorder.timeline.at(3)!.detail, /held/);
  });

  it('is bounded: the oldest entries go, counted, ids keep increasing', () => {
    const recorder = createRecorder({ capacity: 3, now: () => 0 });
    for (let i = 0; i < 5; i++) recorder.tap({ kind: 'request', plane: 'poll', method: 'GET', url: `u${i}`, bytes: 0 });
    assert.equal(recorder.timeline.length, 3);
    assert.equal(recorder.timeline.dropped, 2);
    assert.deepEqual(
      recorder.timeline.slice().map((e) => e.id),
      [3, 4, 5],
    );
    assert.equal(recorder.counters.requests, 5);
  });

  it('tells heartbeats, commands and frames apart, counting bytes each way', () => {
    const recorder = createRecorder({ now: () => 0 });
    recorder.tap({ kind: 'frame', plane: 'stream', direction: 'in', bytes: 7, text: ': ping\n\n' });
    recorder.tap({ kind: 'frame', plane: 'socket', direction: 'out', bytes: 30, text: '{"type":"ping","id":"1"}' });
    recorder.tap({
      kind: 'frame',
      plane: 'socket',
      direction: 'out',
      bytes: 40,
      text: '{"type":"user_reply","text":"yes"}',
    });
    recorder.tap({ kind: 'frame', plane: 'socket', direction: 'in', bytes: 50, text: '{"type":"token"}' });
    assert.deepEqual(
      recorder.timeline.slice().map((e) => e.kind),
      ['heartbeat', 'heartbeat', 'command', 'frame'],
    );
    assert.equal(recorder.counters.bytesIn, 57);
    assert.equal(recorder.counters.bytesOut, 70);
    assert.equal(recorder.counters.heartbeats, 2);
  });

  it('measures server → store → screen for stamped events', () => {
    let now = 10_000;
    const recorder = createRecorder({ now: () => now });
    const store = createRunStore(RUN);
    const sink = createOrderedSink(store, createFakeClock(), 5_000, recorder.tap);
    sink.event({ ...token(1, 'a'), at: new Date(9_990).toISOString() });
    now = 10_016;
    recorder.markScreen();
    const { toStore, toScreen } = recorder.latencies();
    assert.deepEqual(toStore, [10]);
    assert.deepEqual(toScreen, [26]);
    assert.equal(percentile([5, 1, 3, 2, 4], 0.5), 3);
    assert.equal(percentile([5, 1, 3, 2, 4], 0.95), 5);
    assert.equal(percentile([], 0.5), null);
  });
});

describe('recordings', () => {
  it('round-trip through JSON and replay to the same store', async () => {
    const { recorder, store } = recordRun();
    const text = stringifyRecording(toRecording(recorder, { runId: RUN, transport: 'sse' }));
    const recording = parseRecording(text);
    assert.equal(recording.entries.length, recorder.timeline.length);
    const replay = replayRecording(recording, { speed: Number.POSITIVE_INFINITY, clock: createFakeClock() });
    replay.finish();
    await replay.done;
    assert.deepEqual(shown(replay.store.$state.get()), shown(store.$state.get()));
  });

  it('replays at 1× on the recorded timing, faster, and step by step', () => {
    const { recorder } = recordRun();
    const recording = parseRecording(stringifyRecording(toRecording(recorder)));
    const clock = createFakeClock();
    const replay = replayRecording(recording, { clock });
    // Inputs were recorded 5 ms apart: the first goes at once, the next after 5 ms.
    clock.advance(0);
    assert.equal(replay.position, 1);
    clock.advance(4);
    assert.equal(replay.position, 1);
    clock.advance(1);
    assert.equal(replay.position, 2);
    replay.play(5); // 5×: 1 ms apart
    clock.advance(1);
    assert.equal(replay.position, 3);
    replay.pause();
    clock.advance(1_000);
    assert.equal(replay.position, 3);
    assert.equal(replay.step(), true);
    assert.equal(replay.position, 4);
    assert.equal(replay.store.$state.get().lastSeq, 2, 'seq 4 is held until 3 comes');
    replay.finish();
    assert.equal(replay.step(), false);
    assert.equal(replay.store.$state.get().result?.state, 'completed');
  });

  it('refuses bad files with a typed error naming the entry', () => {
    const { recorder } = recordRun();
    const good = JSON.parse(stringifyRecording(toRecording(recorder))) as Record<string, unknown>;
    const expectCode = (input: unknown, code: string, entry?: number): void => {
      assert.throws(
        () => parseRecording(input),
        (error: unknown) =>
          error instanceof RecordingError && error.code === code && (entry === undefined || error.entry === entry),
      );
    };
    expectCode('{not json', 'invalid_json');
    expectCode({ entries: [] }, 'not_a_recording');
    expectCode({ ...good, version: 2 }, 'unsupported_version');
    const entries = good['entries'] as Record<string, unknown>[];
    expectCode({ ...good, entries: entries.map((e, i) => (i === 2 ? { ...e, kind: 'nope' } : e)) }, 'invalid_entry', 2);
    expectCode(
      { ...good, entries: entries.map((e, i) => (i === 1 ? { ...e, data: { event: { seq: 'x' } } } : e)) },
      'invalid_entry',
      1,
    );
    expectCode({ ...good, entries: [entries[1], entries[0]] }, 'invalid_entry', 1);
    // A recording whose first entries were dropped reads, but a replay that must be exact refuses it.
    const partial = parseRecording({ ...good, dropped: 4 });
    assert.throws(
      () => replayRecording(partial, { requireComplete: true }),
      (error: unknown) => error instanceof RecordingError && error.code === 'incomplete',
    );
  });

  it('turns into the mock server replay scenario: events once, in seq order, with their pauses', () => {
    const { recorder } = recordRun();
    const body = replayRequestBody(toRecording(recorder));
    assert.equal(body.scenario, 'replay');
    assert.deepEqual(
      body.replay.events.map((s) => s.event.type),
      ['status', 'token', 'token', 'token', 'progress', 'done'],
    );
    assert.ok(body.replay.events.every((s) => !('seq' in s.event) && !('run_id' in s.event)));
  });
});
