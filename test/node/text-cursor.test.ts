import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent, RunSnapshot } from '../../src/protocol/index.ts';
import { createRunStore, type TextState } from '../../src/store/index.ts';
import { countingList, type ReadCounter } from '../shared/count-reads.ts';
import {
  BLOCK_GRACE,
  BLOCK_HARD_LIMIT,
  BLOCK_MAX,
  BLOCK_SOFT_LIMIT,
  TextCursor,
  blockBreak,
  type TextOp,
} from '../../src/components/token-stream/text-cursor.ts';

let seq = 0;
const tok = (content: string, message_id = 'm1'): RunEvent => ({
  type: 'token',
  content,
  message_id,
  run_id: 'r1',
  seq: ++seq,
});

/** Apply ops to a model of the view: message id → shown text. */
function render(view: Map<string, string>, ops: readonly TextOp[]): Map<string, string> {
  for (const op of ops) {
    if (op.kind === 'append') view.set(op.messageId, (view.get(op.messageId) ?? '') + op.content);
    else {
      view.clear();
      for (const [id, text] of op.messages) view.set(id, text);
    }
  }
  return view;
}

describe('TextCursor', () => {
  it('yields only what is new, coalesced per message', () => {
    seq = 0;
    const store = createRunStore('r1');
    const cursor = new TextCursor();
    const view = new Map<string, string>();
    render(view, cursor.sync(store.$text.get()).ops);
    store.applyAll([tok('Hel'), tok('lo'), tok(' there')]);
    const { ops } = cursor.sync(store.$text.get());
    assert.deepEqual(ops, [{ kind: 'append', messageId: 'm1', content: 'Hello there' }]);
    render(view, ops);
    store.applyAll([tok('!'), tok('Second', 'm2')]);
    render(view, cursor.sync(store.$text.get()).ops);
    assert.deepEqual(
      [...view],
      [
        ['m1', 'Hello there!'],
        ['m2', 'Second'],
      ],
    );
    assert.deepEqual(cursor.sync(store.$text.get()).ops, []);
  });

  it('completes a message when the next one starts, and the current one on finish, once each', () => {
    seq = 0;
    const store = createRunStore('r1');
    const cursor = new TextCursor();
    cursor.sync(store.$text.get());
    store.applyAll([tok('One.'), tok(' More.')]);
    assert.deepEqual(cursor.sync(store.$text.get()).completed, []);
    store.apply(tok('Two.', 'm2'));
    assert.deepEqual(cursor.sync(store.$text.get()).completed, [{ messageId: 'm1', from: 0 }]);
    assert.deepEqual(cursor.finish(), [{ messageId: 'm2', from: 0 }]);
    assert.deepEqual(cursor.finish(), [], 'nothing new, nothing to announce');
    store.apply(tok(' Again.', 'm2'));
    cursor.sync(store.$text.get());
    assert.deepEqual(cursor.finish(), [{ messageId: 'm2', from: 4 }], 'only the part not yet announced');
  });

  it('does not announce text that was there before the first sync (baseline)', () => {
    seq = 0;
    const store = createRunStore('r1');
    store.applyAll([tok('Old.'), tok('Older.', 'm2')]);
    const cursor = new TextCursor();
    const first = cursor.sync(store.$text.get());
    assert.deepEqual(first.completed, []);
    assert.deepEqual(cursor.finish(), []);
    store.apply(tok(' New.', 'm2'));
    cursor.sync(store.$text.get());
    assert.deepEqual(cursor.finish(), [{ messageId: 'm2', from: 0 }], 'the whole message once it grows while watched');
  });

  it('replaces the view when the text was rebuilt from a snapshot, and keeps going after it', () => {
    seq = 0;
    const store = createRunStore('r1');
    const cursor = new TextCursor();
    const view = new Map<string, string>();
    render(view, cursor.sync(store.$text.get()).ops);
    store.applyAll([tok('a'), tok('b'), tok('c')]);
    render(view, cursor.sync(store.$text.get()).ops);
    const snapshot: RunSnapshot = {
      run_id: 'r1',
      state: 'running',
      progress: { pct: null, message: null },
      messages: [{ message_id: 'm1', text: 'abcd' }],
      log: [],
      pending_input: null,
      result: null,
      last_seq: 4,
    };
    store.applySnapshot(snapshot);
    const sync = cursor.sync(store.$text.get());
    assert.equal(sync.ops[0]?.kind, 'replace');
    render(view, sync.ops);
    seq = 4;
    store.apply(tok('e'));
    render(view, cursor.sync(store.$text.get()).ops);
    assert.deepEqual([...view], [['m1', 'abcde']]);
    assert.deepEqual(cursor.finish(), [{ messageId: 'm1', from: 0 }]);
  });

  it('detects a rebuilt text of equal chunk count by its length', () => {
    seq = 0;
    const store = createRunStore('r1');
    const cursor = new TextCursor();
    store.apply(tok('xy'));
    cursor.sync(store.$text.get());
    store.reset();
    seq = 0;
    store.applyAll([tok('x'), tok('yz')]);
    const { ops } = cursor.sync(store.$text.get());
    assert.deepEqual(ops, [{ kind: 'replace', messages: [['m1', 'xyz']] }]);
  });

  it('does O(new) work per sync: reads as few chunks after 100,000 tokens as after 100', () => {
    /** Most chunks and runs a one-token sync reads after `size` tokens (counted, not timed: speed is bench/'s job). */
    const readsPerSync = (size: number): number => {
      seq = 0;
      const store = createRunStore('r1');
      const cursor = new TextCursor();
      const reads: ReadCounter = { count: 0 };
      const counted = (): TextState => {
        const text = store.$text.get();
        return { ...text, chunks: countingList(text.chunks, reads), runs: countingList(text.runs, reads) };
      };
      // A new message every 1,000 tokens, so there are runs to search too.
      store.applyAll(Array.from({ length: size }, (_, i) => tok(` w${i}`, `m${Math.floor(i / 1000)}`)));
      cursor.sync(counted());
      let most = 0;
      for (let i = 0; i < 100; i++) {
        store.apply(tok(' more', `m${Math.floor(size / 1000)}`));
        reads.count = 0;
        const { ops } = cursor.sync(counted());
        assert.deepEqual(ops, [{ kind: 'append', messageId: `m${Math.floor(size / 1000)}`, content: ' more' }]);
        most = Math.max(most, reads.count);
      }
      return most;
    };
    const small = readsPerSync(100);
    const large = readsPerSync(100_000);
    // A binary search over the runs grows with log(runs); nothing grows with the text.
    assert.ok(
      large <= small + 2 * Math.ceil(Math.log2(100)),
      `items read per one-token sync: ${small} after 100 tokens, ${large} after 100,000`,
    );
    assert.ok(large <= 24, `items read per one-token sync after 100,000 tokens: ${large}`);
  });
});

describe('blockBreak', () => {
  /** Split a text as MessageView does, appending `pieces` one by one; returns the blocks. */
  function layout(pieces: readonly string[]): string[] {
    const blocks = [''];
    for (const piece of pieces) {
      let rest = piece;
      while (rest !== '') {
        const current = blocks.at(-1)!;
        const at = blockBreak(current.length, current.at(-1) ?? '', rest);
        blocks[blocks.length - 1] = current + (at < 0 ? rest : rest.slice(0, at));
        if (at < 0) break;
        rest = rest.slice(at);
        blocks.push('');
      }
    }
    return blocks;
  }

  it('keeps short text in one block', () => {
    assert.deepEqual(layout(['Hello', ' world.\n', 'Next line.']), ['Hello world.\nNext line.']);
  });

  it('ends a block at the first line break past the soft limit (invisible in pre-wrap text)', () => {
    const line = `${'x'.repeat(99)}\n`;
    const blocks = layout(Array.from({ length: 40 }, () => line));
    assert.equal(blocks.join(''), line.repeat(40));
    for (const block of blocks.slice(0, -1)) {
      assert.ok(block.endsWith('\n'), 'blocks end with their line break');
      assert.ok(block.length >= BLOCK_SOFT_LIMIT && block.length < BLOCK_SOFT_LIMIT + 100);
    }
  });

  it('ends a paragraph without line breaks at a sentence end past the hard limit', () => {
    const tokens = Array.from({ length: 3000 }, (_, i) => (i % 17 === 16 ? ' word.' : ' word'));
    const blocks = layout(tokens);
    assert.equal(blocks.join(''), tokens.join(''));
    for (const block of blocks.slice(0, -1)) {
      assert.match(block, /\. $/, 'a sentence end, its space kept at the end of the block');
      assert.ok(block.length >= BLOCK_HARD_LIMIT - 10 && block.length <= BLOCK_HARD_LIMIT + BLOCK_GRACE);
    }
  });

  it('falls back to a space, then to a hard cut, so no block grows without bound', () => {
    const spaced = layout(Array.from({ length: 2000 }, () => ' word'));
    assert.ok(spaced.length > 1 && spaced.slice(0, -1).every((b) => b.endsWith(' ')));
    const solid = layout(['y'.repeat(20_000)]);
    assert.equal(solid.join(''), 'y'.repeat(20_000));
    assert.ok(solid.every((b) => b.length <= BLOCK_MAX));
  });

  it('splits one huge delta (a snapshot) into bounded blocks too', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => (i % 17 === 16 ? ' word.' : ' word')).join('');
    const blocks = layout([text]);
    assert.equal(blocks.join(''), text);
    assert.ok(blocks.every((b) => b.length <= BLOCK_HARD_LIMIT + BLOCK_GRACE));
    const lines = Array.from({ length: 3000 }, (_, i) => `Line ${i} of a long answer.\n`).join('');
    assert.ok(layout([lines]).every((b) => b.length <= BLOCK_HARD_LIMIT && b.endsWith('\n')));
  });
});
