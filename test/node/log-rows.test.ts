import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent, RunSnapshot } from '../../src/protocol/index.ts';
import { createRunStore, reduceAll, initialState, type LogEntry, type AppendList } from '../../src/store/index.ts';
import {
  ALWAYS_SHOWN,
  END_ROW,
  LEVEL_RANK,
  LogIndex,
  MAX_DEPTH,
  VisibleRows,
  type LogRowsView,
} from '../../src/store/log-rows.ts';
import { countingList, type ReadCounter } from '../shared/count-reads.ts';

type Body = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'run_id' | 'seq'> : never) : never;
let seq = 0;
const ev = (event: Body): RunEvent => ({ run_id: 'r1', ...event, seq: ++seq });

function agentLog(): RunEvent[] {
  seq = 0;
  return [
    ev({ type: 'status', state: 'running' }),
    ev({ type: 'step', name: 'plan', state: 'started' }),
    ev({ type: 'tool_call', call_id: 'c1', name: 'search', args: { q: 'x' } }),
    ev({ type: 'log', level: 'info', message: 'searching' }),
    ev({ type: 'tool_result', call_id: 'c1', summary: '3 hits', ok: true }),
    ev({ type: 'token', content: 'Hi', message_id: 'm1' }),
    ev({ type: 'step', name: 'plan', state: 'finished' }),
    ev({ type: 'need_input', prompt: 'Deploy?', resume_token: 'T1', choices: ['yes', 'no'] }),
    ev({ type: 'input_accepted', resume_token: 'T1' }),
    ev({ type: 'error', message: 'boom', code: 'x' }),
    ev({ type: 'unknown', event_type: 'thinking', data: { text: 'hm' } }),
  ];
}

/** Each row as `kind@entry[→end][^parent]`. */
function describeRows(index: LogRowsView): string[] {
  const out: string[] = [];
  for (let row = 0; row < index.count; row++) {
    let text = `${index.kind(row)}@${index.entry(row)}`;
    if (index.latest(row) !== index.entry(row)) text += `+${index.latest(row)}`;
    if (index.end(row) >= 0) text += `→${index.end(row)}`;
    if (index.parent(row) >= 0) text += `^${index.parent(row)}`;
    out.push(text);
  }
  return out;
}

const indexOf = (log: AppendList<LogEntry>): LogIndex => {
  const index = new LogIndex();
  index.sync(log);
  return index;
};

describe('LogIndex', () => {
  it('one row per step, tool call and request, each closed in place; rows inside a step belong to it', () => {
    const state = reduceAll(initialState(), agentLog());
    const index = new LogIndex();
    assert.equal(index.sync(state.log), 'changed');
    // log entries: 0 step started, 1 call, 2 log, 3 result, 4 step finished, 5 ask, 6 accepted, 7 error, 8 unknown
    assert.deepEqual(describeRows(index), ['step@0→4', 'tool@1→3^0', 'log@2^0', 'request@5→6', 'error@7', 'unknown@8']);
    assert.equal(index.size(0), 2);
    assert.equal(index.depth(1), 1);
    assert.equal(index.rowOfCall('c1'), 1);
    assert.equal(index.rowOfRequest('T1'), 3);
    assert.equal(index.sync(state.log), 'none');
  });

  it('a tool call streamed first, then completed, then answered, is one row', () => {
    seq = 0;
    const state = reduceAll(initialState(), [
      ev({ type: 'tool_call_delta', call_id: 'c1', name: 'search', delta: '{"q":' }),
      ev({ type: 'tool_call_delta', call_id: 'c1', delta: '"x"}' }),
      ev({ type: 'tool_call', call_id: 'c1', name: 'search', args: { q: 'x' } }),
      ev({ type: 'tool_result', call_id: 'c1', summary: 'done', result: { hits: 3 } }),
    ]);
    assert.deepEqual(describeRows(indexOf(state.log)), ['tool@0+1→2']);
  });

  it('nests steps, closes the innermost of a name, and keeps a stray end as a row of its own', () => {
    seq = 0;
    const state = reduceAll(initialState(), [
      ev({ type: 'step', name: 'outer', state: 'started' }),
      ev({ type: 'step', name: 'inner', state: 'started' }),
      ev({ type: 'log', level: 'debug', message: 'deep' }),
      ev({ type: 'step', name: 'inner', state: 'failed' }),
      ev({ type: 'log', level: 'info', message: 'back in outer' }),
      ev({ type: 'step', name: 'outer', state: 'finished' }),
      ev({ type: 'step', name: 'nowhere', state: 'finished' }),
      ev({ type: 'step', name: 'plain' }),
    ]);
    const index = indexOf(state.log);
    assert.deepEqual(describeRows(index), ['step@0→5', 'step@1→3^0', 'log@2^1', 'log@4^0', 'step@6', 'step@7']);
    assert.equal(index.depth(2), 2);
    assert.equal(index.size(0), 3);
  });

  it('steps that never finish (their end names another step) nest ever deeper, depth capped, sizes right', () => {
    seq = 0;
    const events: RunEvent[] = [];
    for (let i = 0; i < 1_000; i++) {
      events.push(ev({ type: 'step', name: `start ${i}`, state: 'started' }));
      events.push(ev({ type: 'log', level: 'info', message: `inside ${i}` }));
      events.push(ev({ type: 'step', name: `end ${i}`, state: 'finished' }));
    }
    const index = indexOf(reduceAll(initialState(), events).log);
    assert.equal(index.count, 3_000, 'each unmatched end is a row of its own');
    assert.equal(index.depth(0), 0);
    assert.equal(index.depth(3), 1);
    assert.equal(index.depth(2_999), MAX_DEPTH, 'capped');
    assert.equal(index.size(0), 2_999, 'everything after the first step is inside it');
    assert.equal(index.size(3), 2_996);
    const visible = new VisibleRows();
    visible.configure(LEVEL_RANK.debug, new Set([3]));
    visible.sync(index);
    assert.deepEqual(visible.items, [0, 1, 2, 3]);
  });

  it('keeps a second result for the same call, and a result without a seen call, as rows of their own', () => {
    seq = 0;
    const state = reduceAll(initialState(), [
      ev({ type: 'tool_result', call_id: 'early', summary: 'orphan' }),
      ev({ type: 'tool_call', call_id: 'c1', name: 't', args: null }),
      ev({ type: 'tool_result', call_id: 'c1', summary: 'first' }),
      ev({ type: 'tool_result', call_id: 'c1', summary: 'second' }),
      ev({ type: 'input_accepted', resume_token: 'never-asked' }),
    ]);
    assert.deepEqual(describeRows(indexOf(state.log)), ['result@0', 'tool@1→2', 'result@3', 'accepted@4']);
  });

  it('pairs results of plain servers that send no call_id with the oldest open call', () => {
    const state = reduceAll(initialState(), [
      { type: 'tool_call', name: 'a', args: {} },
      { type: 'tool_call', name: 'b', args: {} },
      { type: 'tool_result', summary: 'for a' },
    ]);
    assert.deepEqual(describeRows(indexOf(state.log)), ['tool@0→2', 'tool@1']);
  });

  it('gives log lines their level; steps, tools and requests are always shown; errors rank as errors', () => {
    const store = createRunStore('r1');
    seq = 0;
    store.applyAll(agentLog());
    store.reportError({ code: 'malformed_json', message: 'bad frame' });
    const index = indexOf(store.$state.get().log);
    const levels = Array.from({ length: index.count }, (_, row) => `${index.kind(row)}:${index.level(row)}`);
    assert.deepEqual(levels, [
      `step:${ALWAYS_SHOWN}`,
      `tool:${ALWAYS_SHOWN}`,
      `log:${LEVEL_RANK.info}`,
      `request:${ALWAYS_SHOWN}`,
      `error:${LEVEL_RANK.error}`,
      `unknown:${LEVEL_RANK.debug}`,
      `client_error:${LEVEL_RANK.error}`,
    ]);
  });

  it('indexes again from scratch when the log is replaced by a snapshot, even one as long as before', () => {
    const store = createRunStore('r1');
    const events = agentLog();
    store.applyAll(events);
    const index = indexOf(store.$state.get().log);
    const rows = describeRows(index);
    const snapshot: RunSnapshot = {
      run_id: 'r1',
      state: 'running',
      progress: { pct: null, message: null },
      messages: [],
      log: events.filter((e) => e.type !== 'status' && e.type !== 'token'),
      pending_input: null,
      result: null,
      last_seq: events.length,
    };
    store.applySnapshot(snapshot);
    assert.equal(index.sync(store.$state.get().log), 'reset');
    assert.deepEqual(describeRows(index), rows);
    store.reset();
    assert.equal(index.sync(store.$state.get().log), 'reset');
    assert.equal(index.count, 0);
  });

  it('is kept by the store as events arrive: store.rows equals an index of its log', () => {
    const store = createRunStore('r1');
    const events = agentLog();
    const before = store.rows.generation;
    store.applyAll(events.slice(0, 3));
    store.applyAll(events.slice(3));
    assert.equal(store.rows.generation, before, 'appending keeps the generation');
    assert.deepEqual(describeRows(store.rows), describeRows(indexOf(store.$state.get().log)));
    store.reset();
    assert.equal(store.rows.count, 0);
    assert.notEqual(store.rows.generation, before, 'a reset is a new generation');
  });

  it('never gives two indexes the same generation, so a view following one notices another', () => {
    const a = createRunStore('a');
    const b = createRunStore('b');
    a.applyAll(agentLog());
    b.applyAll(agentLog().slice(0, 3));
    assert.notEqual(a.rows.generation, b.rows.generation);
    const visible = new VisibleRows();
    visible.sync(a.rows);
    assert.equal(visible.items.length, a.rows.count);
    assert.equal(visible.sync(b.rows), true, 'another run: rebuilt');
    assert.deepEqual(visible.items, [0, 1]);
  });

  it('does O(new) work per sync: reads as few entries after 100,000 as after 100', () => {
    const perSync = (size: number): { most: number; index: LogIndex } => {
      seq = 0;
      const store = createRunStore('r1');
      const index = new LogIndex();
      const reads: ReadCounter = { count: 0 };
      const sync = () => index.sync(countingList(store.$state.get().log, reads));
      store.applyAll(Array.from({ length: size }, (_, i) => ev({ type: 'log', level: 'info', message: `line ${i}` })));
      sync();
      let most = 0;
      for (let i = 0; i < 2_000; i++) {
        store.apply(ev({ type: 'log', level: 'debug', message: `more ${i}` }));
        reads.count = 0;
        assert.equal(sync(), 'changed');
        most = Math.max(most, reads.count);
      }
      return { most, index };
    };
    const small = perSync(100).most;
    const { most: large, index } = perSync(100_000);
    assert.equal(large, small, `entries read per one-entry sync: ${small} after 100 entries, ${large} after 100,000`);
    assert.ok(large <= 4, `entries read per one-entry sync: ${large}`);
    assert.equal(index.count, 102_000);
  });
});

describe('VisibleRows', () => {
  function fixture() {
    seq = 0;
    const store = createRunStore('r1');
    const index = new LogIndex();
    const visible = new VisibleRows();
    const sync = (): boolean => {
      index.sync(store.$state.get().log);
      return visible.sync(index);
    };
    return { store, index, visible, sync };
  }

  it('shows every row by default; appending gives a new array object, kept in step with the other buffer', () => {
    const { store, visible, sync } = fixture();
    store.applyAll(agentLog());
    assert.equal(sync(), true);
    assert.deepEqual(visible.items, [0, 1, 2, 3, 4, 5]);
    const before = visible.items;
    store.apply(ev({ type: 'log', level: 'info', message: 'more' }));
    assert.equal(sync(), true);
    assert.notEqual(visible.items, before);
    assert.deepEqual(visible.items, [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(sync(), false, 'nothing new');
    store.apply(ev({ type: 'tool_call', call_id: 'c9', name: 'x', args: {} }));
    store.apply(ev({ type: 'tool_result', call_id: 'c9', summary: 'ok' }));
    sync();
    assert.deepEqual(visible.items, [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('unfiltered, lists rows without building an array: an identity list read like one, read-only', () => {
    const { store, visible, sync } = fixture();
    store.applyAll(Array.from({ length: 100_000 }, (_, n) => ev({ type: 'log', level: 'info', message: `line ${n}` })));
    sync();
    const items = visible.items;
    assert.ok(Array.isArray(items));
    assert.equal(items.length, 100_000);
    assert.equal(items[0], 0);
    assert.equal(items[99_999], 99_999);
    assert.equal(items[100_000], undefined, 'past the end');
    assert.equal(items.at(-1), 99_999);
    assert.equal(items.indexOf(4_321), 4_321);
    assert.equal(visible.positionOf(4_321), 4_321);
    assert.equal(visible.positionOf(100_000), -1);
    assert.deepEqual(items.slice(5, 8), [5, 6, 7]);
    assert.equal(
      items.map((row) => row * 2).reduce((a, b) => a + b, 0),
      99_999 * 100_000,
    );
    assert.throws(() => {
      (items as number[])[3] = 7;
    }, TypeError);
    assert.throws(() => (items as number[]).push(1), TypeError);
    assert.equal(items[3], 3);
    visible.configure(0, new Set(), true);
    sync();
    assert.equal(visible.items.length, 100_001);
    assert.equal(visible.items.at(-1), END_ROW);
    visible.configure(LEVEL_RANK.warn, new Set(), true);
    sync();
    assert.deepEqual(visible.items, [END_ROW], 'filtered: a real array');
    assert.equal(visible.positionOf(END_ROW), 0);
    visible.configure(0, new Set(), true);
    sync();
    assert.equal(visible.items.length, 100_001, 'unfiltered again');
    assert.equal(visible.positionOf(99_999), 99_999);
  });

  it('filters log lines by level (steps, tools, requests stay) and hides rows of collapsed steps', () => {
    const { store, index, visible, sync } = fixture();
    store.applyAll(agentLog());
    sync();
    visible.configure(LEVEL_RANK.warn, new Set());
    assert.equal(sync(), true);
    assert.deepEqual(visible.items, [0, 1, 3, 4], 'info line and unknown event hidden, error kept');
    visible.configure(LEVEL_RANK.debug, new Set([0]));
    sync();
    assert.deepEqual(visible.items, [0, 3, 4, 5], 'the step row stays, its rows go');
    const items = visible.items;
    store.apply(ev({ type: 'log', level: 'debug', message: 'hidden? no: the step is over' }));
    assert.equal(sync(), true);
    assert.deepEqual(visible.items, [0, 3, 4, 5, 6]);
    assert.notEqual(visible.items, items);
    visible.configure(LEVEL_RANK.error, new Set([0]));
    sync();
    const filtered = visible.items;
    store.apply(ev({ type: 'log', level: 'info', message: 'below the filter' }));
    assert.equal(sync(), false, 'a hidden row changes nothing');
    assert.equal(visible.items, filtered);
    assert.equal(index.count, 8);
  });
  it('puts END_ROW after every row once the run ended, and keeps it last as rows arrive', () => {
    const { store, visible, sync } = fixture();
    store.applyAll(agentLog());
    sync();
    const rows = visible.items.length;
    visible.configure(LEVEL_RANK.debug, new Set(), true);
    assert.equal(sync(), true, 'the end row is a change');
    assert.equal(visible.items.at(-1), END_ROW);
    assert.equal(visible.items.length, rows + 1);
    assert.equal(sync(), false, 'nothing new');
    store.apply(ev({ type: 'log', level: 'info', message: 'late' }));
    assert.equal(sync(), true);
    assert.deepEqual(visible.items.slice(-2), [rows, END_ROW], 'a late row goes before the end');
    visible.configure(LEVEL_RANK.warn, new Set(), true);
    sync();
    assert.equal(visible.items.at(-1), END_ROW, 'kept through a new filter');
    visible.configure(LEVEL_RANK.warn, new Set(), false);
    assert.equal(sync(), true);
    assert.ok(!visible.items.includes(END_ROW), 'gone when the run is no longer ended (another run)');
  });

  it('knows the latest step without a state (where a plain server’s run is)', () => {
    const { store, index, sync } = fixture();
    assert.equal(index.lastBareStep, -1);
    store.applyAll([
      ev({ type: 'step', name: 'Scan files' }),
      ev({ type: 'log', level: 'info', message: 'x' }),
      ev({ type: 'step', name: 'Count' }),
      ev({ type: 'step', name: 'plan', state: 'started' }),
    ]);
    sync();
    assert.equal(index.lastBareStep, 2);
  });
});
