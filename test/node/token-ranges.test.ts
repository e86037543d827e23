/**
 * Coalesced tokens (`seq_end`): the decoder accepts a well-formed range and refuses a malformed
 * one with a typed error; the reducer and the ordered sink apply a range as the seqs it stands
 * for, drop a range already applied, and never apply one that overlaps the cursor (the sink
 * takes the snapshot instead); the server's coalescer merges only plain consecutive tokens of one message.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, type RunEvent } from '../../src/protocol/index.ts';
import { createOrderedSink, createRunStore, fullText } from '../../src/store/index.ts';
import { step } from '../../src/store/reducer.ts';
import { initialState } from '../../src/store/state.ts';
import { coalesceTokens } from '../../src/server/http/coalesce.ts';
import { StoredEvent } from '../../src/server/index.ts';

const token = (seq: number, content: string, extra: Record<string, unknown> = {}): RunEvent => {
  const decoded = decodeEvent({ type: 'token', run_id: 'r', seq, content, message_id: 'm1', ...extra });
  if (!decoded.ok) throw decoded.error;
  return decoded.value;
};

describe('token ranges: decoding', () => {
  it('keeps a seq_end above seq', () => {
    const decoded = decodeEvent({ type: 'token', run_id: 'r', seq: 4, seq_end: 9, content: 'abc' });
    assert.ok(decoded.ok);
    assert.equal((decoded.value as { seq_end?: number }).seq_end, 9);
  });
  for (const [what, body] of [
    ['seq_end equal to seq', { seq: 4, seq_end: 4 }],
    ['seq_end below seq', { seq: 4, seq_end: 2 }],
    ['seq_end not an integer', { seq: 4, seq_end: 5.5 }],
    ['seq_end as text', { seq: 4, seq_end: '9' }],
    ['seq_end without seq', { seq_end: 9 }],
  ] as const) {
    it(`refuses ${what} with invalid_field naming seq_end`, () => {
      const decoded = decodeEvent({ type: 'token', run_id: 'r', content: 'abc', ...body });
      assert.ok(!decoded.ok);
      assert.equal(decoded.error.code, 'invalid_field');
      assert.equal(decoded.error.field, 'seq_end');
    });
  }
});

describe('token ranges: reducer and ordered sink', () => {
  it('a range moves the cursor to seq_end; a range already applied is a duplicate; an overlapping one a gap', () => {
    let state = initialState('r');
    state = step(state, token(1, 'a')).state;
    const range = step(state, token(2, 'bcd', { seq_end: 4 }));
    assert.equal(range.outcome, 'applied');
    assert.equal(range.state.lastSeq, 4);
    assert.equal(fullText(range.state.text), 'abcd');
    state = range.state;
    assert.equal(step(state, token(2, 'bcd', { seq_end: 4 })).outcome, 'duplicate');
    assert.equal(step(state, token(3, 'cd', { seq_end: 4 })).outcome, 'duplicate');
    const overlap = step(state, token(3, 'cde', { seq_end: 5 }));
    assert.equal(overlap.outcome, 'gap');
    assert.equal(fullText(overlap.state.text), 'abcd', 'nothing of an overlapping range is applied');
    const next = step(state, token(5, 'e'));
    assert.equal(next.outcome, 'applied');
    assert.equal(fullText(next.state.text), 'abcde');
  });

  it('the sink releases held events after a range and drops a repeated range', async () => {
    const store = createRunStore('r');
    const sink = createOrderedSink(store);
    sink.event(token(1, 'a'));
    sink.event(token(5, 'e'));
    sink.event(token(2, 'bcd', { seq_end: 4 }));
    sink.event(token(2, 'bcd', { seq_end: 4 }));
    sink.flush();
    await Promise.resolve();
    assert.equal(store.$state.get().lastSeq, 5);
    assert.equal(fullText(store.$state.get().text), 'abcde');
  });
});

describe('token ranges: the server coalescer', () => {
  const stored = (seq: number, body: Record<string, unknown>): StoredEvent =>
    StoredEvent.fromBody('r', seq, { type: 'token', ...body });
  it('merges consecutive plain tokens of one message; keeps others, other messages and gaps apart', () => {
    const records = [
      stored(1, { content: 'a', message_id: 'm1' }),
      stored(2, { content: 'b', message_id: 'm1' }),
      stored(3, { content: 'c', message_id: 'm1' }),
      StoredEvent.fromBody('r', 4, { type: 'progress', pct: 50 }),
      stored(5, { content: 'd', message_id: 'm1' }),
      stored(6, { content: 'e', message_id: 'm2' }),
      stored(7, { content: 'f', message_id: 'm2', extension: 1 }),
      stored(9, { content: 'g', message_id: 'm2' }),
      stored(10, { content: 'h', message_id: 'm2' }),
    ];
    const out = coalesceTokens(records);
    assert.deepEqual(
      out.map((r) => [r.seq, r.lastSeq, r.type]),
      [
        [1, 3, 'token'],
        [4, 4, 'progress'],
        [5, 5, 'token'],
        [6, 6, 'token'],
        [7, 7, 'token'],
        [9, 10, 'token'],
      ],
    );
    assert.deepEqual(JSON.parse(out[0]!.json), {
      type: 'token',
      content: 'abc',
      message_id: 'm1',
      seq_end: 3,
      run_id: 'r',
      seq: 1,
    });
    assert.match(out[0]!.sse, /^id: 3\n/);
  });
});
