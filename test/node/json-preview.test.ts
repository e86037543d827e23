import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fullJson, jsonPreview } from '../../src/components/shared/json-text.ts';

/** The preview as defined: the whole pretty JSON on one line, cut. */
function reference(data: unknown, limit: number): string {
  if (data === undefined) return '';
  const flat = fullJson(data).replace(/\s+/g, ' ');
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}

describe('jsonPreview', () => {
  it('shows one line of pretty JSON, cut with "…"', () => {
    assert.equal(jsonPreview({ query: 'retry ba' }, 80), '{ "query": "retry ba" }');
    assert.equal(
      jsonPreview({ a: [1, { b: null }], c: [], d: {} }, 80),
      '{ "a": [ 1, { "b": null } ], "c": [], "d": {} }',
    );
    assert.equal(jsonPreview({ path: 'a.ts', content: 'x'.repeat(500) }, 31), '{ "path": "a.ts", "content": "x…');
    assert.equal(jsonPreview(undefined, 80), '');
  });

  it('treats what JSON.stringify treats specially as it does', () => {
    const data = { when: new Date(0), skip: undefined, fn: () => 1, list: [undefined, Number.NaN], n: -0 };
    assert.equal(jsonPreview(data, 200), reference(data, 200));
    assert.equal(jsonPreview(10n, 80), '10');
  });

  it('reads only what it shows, however large the value (arguments streaming a file)', () => {
    let read = 0;
    const rows = new Proxy(
      Array.from({ length: 100_000 }, (_, i) => ({ line: i, text: 'y'.repeat(100) })),
      {
        get(target, key, receiver) {
          read++;
          return Reflect.get(target, key, receiver) as unknown;
        },
      },
    );
    const preview = jsonPreview({ path: 'big.ts', rows, content: 'z'.repeat(10_000_000) }, 80);
    assert.equal(preview, '{ "path": "big.ts", "rows": [ { "line": 0, "text": "yyyyyyyyyyyyyyyyyyyyyyyyyyyy…');
    assert.ok(read < 1000, `${read} reads of 100,000 rows`);
  });

  it('property: equals the whole pretty JSON on one line, cut, for any JSON value and limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.integer({ min: 1, max: 300 }), (data, limit) => {
        assert.equal(jsonPreview(data, limit), reference(data, limit));
      }),
      { numRuns: 2000 },
    );
  });
});
