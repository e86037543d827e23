import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_PARTIAL_JSON_DEPTH,
  PEEK_STRING_LENGTH,
  PartialJsonParser,
  parsePartialJson,
} from '../../src/store/partial-json.ts';
import { StreamedArgs, lastCharacters } from '../../src/store/streamed-args.ts';
import { createRunStore, type RunStore } from '../../src/store/index.ts';
import { AppendList } from '../../src/store/append-list.ts';
import type { ToolStream } from '../../src/store/state.ts';
import { toSnapshot } from '../../src/store/reducer.ts';
import { charactersPushed, countingList, type ReadCounter } from '../shared/count-reads.ts';

const value = (text: string): unknown => parsePartialJson(text)?.value;

describe('parsePartialJson', () => {
  it('parses whole JSON exactly and says it is complete', () => {
    assert.deepEqual(parsePartialJson('{"q":"retry","limit":5}'), { value: { q: 'retry', limit: 5 }, complete: true });
    assert.deepEqual(parsePartialJson(' [1, true, null] '), { value: [1, true, null], complete: true });
  });

  it('says nothing for empty text', () => {
    assert.deepEqual(parsePartialJson(''), { value: undefined, complete: false });
    assert.deepEqual(parsePartialJson('  \n'), { value: undefined, complete: false });
  });

  it('keeps what a text cut short already says', () => {
    assert.deepEqual(value('{"query": "retry back'), { query: 'retry back' });
    assert.deepEqual(value('{"query": "retry", "lim'), { query: 'retry' });
    assert.deepEqual(value('{"query": "retry", "limit"'), { query: 'retry' });
    assert.deepEqual(value('{"query": "retry", "limit":'), { query: 'retry' });
    assert.deepEqual(value('{"limit": 12'), { limit: 12 });
    assert.deepEqual(value('{"limit": 12.'), { limit: 12 });
    assert.deepEqual(value('{"limit": 1e'), { limit: 1 });
    assert.deepEqual(value('{"limit": -'), {});
    assert.deepEqual(value('{"ok": tr'), {});
    assert.deepEqual(value('{"ok": true'), { ok: true });
    assert.deepEqual(value('{"tags": ["a", "b'), { tags: ['a', 'b'] });
    assert.deepEqual(value('{"tags": ["a", '), { tags: ['a'] });
    assert.deepEqual(value('{"a": {"b": [1, {"c": "d'), { a: { b: [1, { c: 'd' }] } });
    assert.equal(value('"half'), 'half');
    assert.equal(value('nu'), undefined);
  });

  it('drops an escape cut in half, and decodes whole ones', () => {
    assert.deepEqual(value('{"s": "a\\'), { s: 'a' });
    assert.deepEqual(value('{"s": "a\\u00'), { s: 'a' });
    assert.deepEqual(value('{"s": "a\\u00e9b\\n'), { s: 'aéb\n' });
  });

  it('refuses what is not (the start of) JSON', () => {
    for (const text of ['{x', '{"a" 1', '[1 2', '{"a": 01}', 'hello', '{"a": 1}}', '"\\q"', '{"a": -x', '"a\u0001"'])
      assert.equal(parsePartialJson(text), null, text);
  });

  it('keeps "__proto__" an own property, as JSON.parse does', () => {
    const parsed = value('{"__proto__": {"polluted": 1}, "b": 2') as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['__proto__', 'b']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    assert.equal(parsePartialJson('['.repeat(MAX_PARTIAL_JSON_DEPTH + 10)), null);
    assert.deepEqual(value('['.repeat(10)), [[[[[[[[[[]]]]]]]]]]);
  });

  it('property: every prefix of a JSON text parses; the whole text gives what JSON.parse gives', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (json, pretty) => {
        const text = JSON.stringify(json, null, pretty ? 2 : undefined);
        for (let cut = 0; cut <= text.length; cut++) {
          const parsed = parsePartialJson(text.slice(0, cut));
          assert.notEqual(parsed, null, `prefix ${JSON.stringify(text.slice(0, cut))}`);
          if (cut === text.length) {
            assert.equal(parsed!.complete, true);
            assert.deepEqual(parsed!.value, JSON.parse(text));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('tolerates a trailing comma, but then the text is not complete JSON', () => {
    assert.deepEqual(parsePartialJson('{"a": [1, 2,], "b": 3,}'), { value: { a: [1, 2], b: 3 }, complete: false });
  });
});

/** A JSON text, sometimes with characters put in where they may break it (a quote, an escape, a control character…). */
const jsonish = fc
  .tuple(
    fc.jsonValue({ maxDepth: 4 }),
    fc.boolean(),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('"', '\\', ',', ']', '}', ':', '-', '.', 'e', '0', '7', 't', 'n', ' ', 'u', '{', '[', 'x', '+'),
      ),
      { maxLength: 3 },
    ),
    fc.constantFrom('', '\u0001', '\u0085', '\u007f', '😀'),
  )
  .map(([json, pretty, edits, odd]) => {
    let text = JSON.stringify(json, null, pretty ? 2 : undefined);
    for (const [at, c] of [...edits, [text.length >> 1, odd] as const]) {
      const k = at % (text.length + 1);
      text = text.slice(0, k) + c + text.slice(k);
    }
    return text;
  });

describe('PartialJsonParser', () => {
  it('property: read piece by piece, it says after each piece what parsePartialJson says of the text so far', () => {
    fc.assert(
      fc.property(jsonish, fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 12 }), (text, sizes) => {
        const parser = new PartialJsonParser();
        for (let from = 0, k = 0; from < text.length; k++) {
          // Pieces cut anywhere: inside escapes, numbers, literals, keys and surrogate pairs.
          const to = Math.min(text.length, from + sizes[k % sizes.length]!);
          parser.push(text.slice(from, to));
          from = to;
          const expected = parsePartialJson(text.slice(0, to));
          const got = parser.result;
          if (expected === null) assert.equal(got, null, JSON.stringify(text.slice(0, to)));
          else assert.deepEqual(got, expected, JSON.stringify(text.slice(0, to)));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never changes a result it gave when more text comes', () => {
    const parser = new PartialJsonParser().push('{"path": "a.ts", "lines": ["one", {"n": 1');
    const first = parser.result!.value;
    const copy = structuredClone(first);
    parser.push('2}, "two"], "content": "x');
    assert.deepEqual(first, copy);
    assert.deepEqual(parser.result!.value, { path: 'a.ts', lines: ['one', { n: 12 }, 'two'], content: 'x' });
    assert.equal(parser.result, parser.result, 'read again without a push: the same result');
  });

  it('stays refused once the text is not JSON, whatever follows', () => {
    const parser = new PartialJsonParser().push('{"a": 1} x');
    assert.equal(parser.result, null);
    assert.equal(parser.push('"more"}').result, null);
  });
});

describe('StreamedArgs', () => {
  /** A store fed `deltas` of call c1's arguments. */
  function fed(...deltas: string[]): RunStore {
    const store = createRunStore('r');
    let seq = 0;
    for (const delta of deltas)
      store.apply({ type: 'tool_call_delta', run_id: 'r', seq: ++seq, call_id: 'c1', name: 'write_file', delta });
    return store;
  }
  /** The store's streams, counting reads of any call's whole text (`args`). */
  function watched(store: RunStore, reads: { count: number }): ReadonlyMap<string, ToolStream> {
    const streams = new Map<string, ToolStream>();
    for (const [id, stream] of store.$toolStreams.get())
      streams.set(id, {
        ...stream,
        get args() {
          reads.count++;
          return stream.args;
        },
      });
    return streams;
  }

  it('reads each piece once, never the whole text, and gives what parsePartialJson gives', async () => {
    const text = JSON.stringify({ path: 'big.ts', content: 'export const x = "1";\n'.repeat(2000) });
    const store = fed();
    const args = new StreamedArgs();
    const reads = { count: 0 };
    const got: { value: unknown; peek: unknown; text: string }[] = [];
    const pushed = await charactersPushed(() => {
      for (let at = 0, seq = 0; at < text.length; at += 40) {
        store.apply({
          type: 'tool_call_delta',
          run_id: 'r',
          seq: ++seq,
          call_id: 'c1',
          delta: text.slice(at, at + 40),
        });
        // Drawn every third piece, and twice (a frame without new pieces reads nothing).
        if (seq % 3 !== 0 && at + 40 < text.length) continue;
        const streams = watched(store, reads);
        got.push({ value: args.value(streams, 'c1'), peek: args.peek(streams, 'c1'), text: text.slice(0, at + 40) });
        args.value(streams, 'c1');
      }
    });
    assert.equal(pushed, text.length, 'every character read once');
    assert.equal(reads.count, 0, 'the whole text never read');
    const last = got.at(-1)!;
    assert.deepEqual(last.value, JSON.parse(text));
    // While the long string is being read, a preview's value holds its start only.
    const middle = got[got.length >> 1]!;
    const { content } = middle.value as { content: string };
    assert.ok(content.length > 2 * PEEK_STRING_LENGTH);
    assert.deepEqual(middle.peek, { path: 'big.ts', content: content.slice(0, PEEK_STRING_LENGTH) });
    assert.deepEqual(last.peek, last.value, 'once the string is whole, all of it');
    for (const { value, text: prefix } of got.slice(0, 40)) assert.deepEqual(value, parsePartialJson(prefix)?.value);
  });

  it('starts again when the pieces do not continue what was read (a snapshot), and forgets calls that ended', () => {
    const args = new StreamedArgs();
    const store = fed('{"a": 1, ', '"b');
    assert.deepEqual(args.value(store.$toolStreams.get(), 'c1'), { a: 1 });
    // The server's snapshot holds other arguments for the call: they replace what was streamed.
    const snapshot = toSnapshot(fed('{"z": ', '2').$state.get());
    store.applySnapshot({ ...snapshot, last_seq: 2 });
    assert.deepEqual(args.value(store.$toolStreams.get(), 'c1'), { z: 2 });
    assert.equal(args.value(new Map(), 'c1'), undefined);
    assert.deepEqual(args.value(fed('{"q": tr', 'ue').$toolStreams.get(), 'c1'), { q: true });
  });
});

describe('lastCharacters', () => {
  it('gives the end of a text made of pieces, reading only the newest pieces', () => {
    let list = AppendList.empty<string>();
    let text = '';
    for (let i = 0; i < 10_000; i++) {
      const piece = `line ${i} 😀\n`.slice(0, 1 + (i % 13));
      list = list.push(piece);
      text += piece;
    }
    const reads: ReadCounter = { count: 0 };
    const counted = countingList(list, reads);
    for (const count of [0, 1, 7, 100, 4000])
      assert.equal(lastCharacters(counted, count), text.slice(-count || text.length), `${count}`);
    assert.ok(reads.count < 1000, `${reads.count} of 10,000 pieces read`);
    assert.equal(lastCharacters(list, text.length + 10), text, 'all of a shorter text');
    assert.equal(lastCharacters(AppendList.empty(), 5), '');
  });
});
