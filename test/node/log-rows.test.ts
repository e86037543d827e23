import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent, RunSnapshot } from '../../src/protocol/index.ts';
import { createRunStore, reduceAll, initialState } from '../../src/store/index.ts';
import { LogRows } from '../../src/store/log-rows.ts';
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
    ev({ type: 'need_input', prompt: 'Deploy?', resume_token: 'T1', choices: ['yes', 'no'] }),
    ev({ type: 'input_accepted', resume_token: 'T1' }),
    ev({ type: 'error', message: 'boom', code: 'x' }),
    ev({ type: 'unknown', event_type: 'thinking', data: { text: 'hm' } }),
  ];
}

describe('LogRows', () => {
  it('turns log entries into rows, pairing a tool result into its call row', () => {
    const state = reduceAll(initialState(), agentLog());
    const rows = new LogRows();
    assert.equal(rows.sync(state.log, state.toolResults), 'changed');
    assert.deepEqual(
      rows.rows.map((r) => r.kind),
      ['step', 'tool', 'log', 'request', 'accepted', 'error', 'unknown'],
    );
    const tool = rows.rows[1]!;
    assert.equal(tool.kind === 'tool' && tool.result?.summary, '3 hits');
    assert.deepEqual(
      rows.rows.map((r) => r.key),
      [0, 1, 2, 4, 5, 6, 7],
    );
  });

  it('updates a call row in place when its result arrives later, O(new) per sync', () => {
    const store = createRunStore('r1');
    const rows = new LogRows();
    seq = 0;
    store.apply(ev({ type: 'tool_call', call_id: 'c1', name: 'run_tests', args: {} }));
    rows.sync(store.$state.get().log, store.$state.get().toolResults);
    const before = rows.rows;
    assert.equal(before.length, 1);
    assert.equal(before[0]!.kind === 'tool' && before[0]!.result, null);

    store.apply(ev({ type: 'tool_result', call_id: 'c1', summary: 'ok', ok: true }));
    assert.equal(rows.sync(store.$state.get().log, store.$state.get().toolResults), 'changed');
    assert.notEqual(rows.rows, before, 'a change gives a new array object');
    assert.equal(rows.rows.length, 1);
    const row = rows.rows[0]!;
    assert.equal(row.kind === 'tool' && row.result?.summary, 'ok');
    assert.equal(rows.sync(store.$state.get().log, store.$state.get().toolResults), 'none');
  });

  it('keeps a second result for the same call, and a result without a seen call, as rows of their own', () => {
    seq = 0;
    const state = reduceAll(initialState(), [
      ev({ type: 'tool_result', call_id: 'early', summary: 'orphan' }),
      ev({ type: 'tool_call', call_id: 'c1', name: 't', args: null }),
      ev({ type: 'tool_result', call_id: 'c1', summary: 'first' }),
      ev({ type: 'tool_result', call_id: 'c1', summary: 'second' }),
    ]);
    const rows = new LogRows();
    rows.sync(state.log, state.toolResults);
    assert.deepEqual(
      rows.rows.map((r) =>
        r.kind === 'tool' ? `tool:${r.result?.summary}` : r.kind === 'result' ? `result:${r.event.summary}` : r.kind,
      ),
      ['result:orphan', 'tool:first', 'result:second'],
    );
  });

  it('pairs results of plain servers that send no call_id with the oldest open call', () => {
    const state = reduceAll(initialState(), [
      { type: 'tool_call', name: 'a', args: {} },
      { type: 'tool_call', name: 'b', args: {} },
      { type: 'tool_result', summary: 'for a' },
    ]);
    const rows = new LogRows();
    rows.sync(state.log, state.toolResults);
    assert.deepEqual(
      rows.rows.map((r) => (r.kind === 'tool' ? `${r.call.name}:${r.result?.summary ?? '-'}` : r.kind)),
      ['a:for a', 'b:-'],
    );
  });

  it('shows client errors as rows', () => {
    const store = createRunStore('r1');
    store.reportError({ code: 'malformed_json', message: 'bad frame' });
    const rows = new LogRows();
    rows.sync(store.$state.get().log, store.$state.get().toolResults);
    assert.deepEqual(rows.rows, [
      { kind: 'client_error', key: 0, error: { code: 'malformed_json', message: 'bad frame' } },
    ]);
  });

  it('rebuilds when the log is replaced by a snapshot, even one as long as before', () => {
    const store = createRunStore('r1');
    const events = agentLog();
    store.applyAll(events);
    const rows = new LogRows();
    rows.sync(store.$state.get().log, store.$state.get().toolResults);
    const count = rows.rows.length;
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
    assert.equal(rows.sync(store.$state.get().log, store.$state.get().toolResults), 'reset');
    assert.equal(rows.rows.length, count);
    store.reset();
    assert.equal(rows.sync(store.$state.get().log, store.$state.get().toolResults), 'reset');
    assert.equal(rows.rows.length, 0);
  });

  it('keeps both buffers in step and does O(new) work per sync: reads as few entries after 100,000 as after 100', () => {
    /** Most log entries a one-entry sync reads after `size` entries (counted, not timed: speed is bench/'s job), and the model. */
    const perSync = (size: number): { most: number; rows: LogRows; store: ReturnType<typeof createRunStore> } => {
      seq = 0;
      const store = createRunStore('r1');
      const rows = new LogRows();
      const reads: ReadCounter = { count: 0 };
      const sync = () => rows.sync(countingList(store.$state.get().log, reads), store.$state.get().toolResults);
      store.applyAll(Array.from({ length: size }, (_, i) => ev({ type: 'log', level: 'info', message: `line ${i}` })));
      sync();
      let most = 0;
      for (let i = 0; i < 2_000; i++) {
        store.apply(ev({ type: 'log', level: 'debug', message: `more ${i}` }));
        reads.count = 0;
        assert.equal(sync(), 'changed');
        most = Math.max(most, reads.count);
      }
      return { most, rows, store };
    };
    const small = perSync(100).most;
    const { most: large, rows, store } = perSync(100_000);
    assert.equal(large, small, `entries read per one-entry sync: ${small} after 100 entries, ${large} after 100,000`);
    assert.ok(large <= 8, `entries read per one-entry sync: ${large}`);
    assert.equal(rows.rows.length, 102_000);
    const before = rows.rows;
    store.apply(ev({ type: 'log', level: 'debug', message: 'last' }));
    rows.sync(store.$state.get().log, store.$state.get().toolResults);
    const after = rows.rows;
    assert.notEqual(after, before, 'a change gives the other buffer');
    assert.equal(before.length, after.length, 'both buffers are kept in step');
    assert.deepEqual(after.slice(-100), before.slice(-100));
  });
});
