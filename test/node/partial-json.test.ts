import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_PARTIAL_JSON_DEPTH, parsePartialJson } from '../../src/store/partial-json.ts';

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
});
