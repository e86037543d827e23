/** The README's size figures (`npm run size` checks them): which figures are read, when one is off, how they are rewritten. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  figureHolds,
  loadedGzipBytes,
  measuredKib,
  MissingChunkError,
  readmeFigures,
  rewriteFigures,
  strayMarkers,
} from '../../bench/lib/readme-sizes.ts';

const TEXT = [
  'The core is <!-- size: core -->13.21 KiB; all of it about <!-- size: all -->58 KiB.',
  'A module adds <!-- size: a + b - a -->1.1 KiB. Unmarked: 12 KiB and 3 KiB.',
  '| x | <!-- size: core -->13.21 KiB   |',
].join('\n');

const GZIP: Record<string, number> = { core: 13_530, all: 59_578, a: 6_446, 'a + b': 7_600 };
const gzipOf = (name: string): number | undefined => GZIP[name];

describe('README size figures', () => {
  it('reads each marked figure with its line, what it measures and its decimals; unmarked figures are not figures', () => {
    const figures = readmeFigures(TEXT);
    assert.deepEqual(
      figures.map(({ line, name, minus, kib, decimals }) => ({ line, name, minus, kib, decimals })),
      [
        { line: 1, name: 'core', minus: null, kib: 13.21, decimals: 2 },
        { line: 1, name: 'all', minus: null, kib: 58, decimals: 0 },
        { line: 2, name: 'a + b', minus: 'a', kib: 1.1, decimals: 1 },
        { line: 3, name: 'core', minus: null, kib: 13.21, decimals: 2 },
      ],
    );
    for (const figure of figures) assert.equal(TEXT.slice(figure.at, figure.at + figure.length), String(figure.kib));
  });

  it('a marker that marks no figure (another unit, no space, nothing after it) is found by its line', () => {
    assert.deepEqual(strayMarkers(TEXT), []);
    const text = [
      '<!-- size: core -->13.2 kB',
      'fine <!-- size: all -->58 KiB',
      '<!-- size: core --> 13.2 KiB',
      '<!-- size: core',
    ].join('\n');
    assert.deepEqual(strayMarkers(text), [1, 3, 4]);
    assert.equal(readmeFigures(text).length, 1);
  });

  it('a difference is measured as one bundle less the other; a figure naming no measured bundle has no measurement', () => {
    const [core, , diff] = readmeFigures(TEXT);
    assert.equal(measuredKib(core!, gzipOf), 13_530 / 1024);
    assert.equal(measuredKib(diff!, gzipOf), (7_600 - 6_446) / 1024);
    assert.equal(
      measuredKib(core!, () => undefined),
      null,
    );
    assert.equal(
      measuredKib(diff!, (name) => (name === 'a' ? undefined : 1)),
      null,
    );
  });

  it('a figure holds within 1 %, or within half its last written digit when that is coarser', () => {
    const [core, all] = readmeFigures(TEXT);
    // 13.21 KiB written: 1 % of 13.21 is 0.13.
    assert.ok(figureHolds(core!, 13.3));
    assert.ok(!figureHolds(core!, 13.4));
    assert.ok(!figureHolds(core!, 13.0));
    // 58 KiB written (no decimals): anything that rounds to 58 holds, and 1 % either side of it.
    assert.ok(figureHolds(all!, 58.49));
    assert.ok(figureHolds(all!, 57.5));
    assert.ok(!figureHolds(all!, 59.2));
  });

  it('rewriting writes each measured figure to the decimals it had and leaves the rest of the text as it was', () => {
    const out = rewriteFigures(TEXT, (figure) => (figure.name === 'all' ? null : measuredKib(figure, gzipOf)));
    assert.equal(
      out,
      [
        'The core is <!-- size: core -->13.21 KiB; all of it about <!-- size: all -->58 KiB.',
        'A module adds <!-- size: a + b - a -->1.1 KiB. Unmarked: 12 KiB and 3 KiB.',
        '| x | <!-- size: core -->13.21 KiB   |',
      ].join('\n'),
    );
    const grown = rewriteFigures(TEXT, (figure) => (measuredKib(figure, gzipOf) ?? 0) + 1);
    assert.match(grown, /core -->14\.21 KiB; all of it about <!-- size: all -->59 KiB/);
    assert.match(grown, /a -->2\.1 KiB\. Unmarked: 12 KiB/);
    assert.deepEqual(
      readmeFigures(grown).map((figure) => figure.kib),
      [14.21, 59, 2.1, 14.21],
    );
  });
});

describe('built files at load', () => {
  const gz = (code: string): number => gzipSync(code, { level: 9 }).length;

  it('counts a file and what it imports statically, each once (cycles too), and not what it imports later', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-dist-'));
    try {
      mkdirSync(join(dir, 'chunks'));
      const files = {
        'entry.js': 'import{a}from"./chunks/a.js";import"./chunks/b.js";const c=()=>import("./chunks/later.js");',
        'chunks/a.js': 'export const a=1;export*from"./b.js";',
        'chunks/b.js': 'import{a}from"./a.js";console.log(a);',
        'chunks/later.js': 'export const later="not loaded with the entry";',
      };
      for (const [name, code] of Object.entries(files)) writeFileSync(join(dir, name), code);
      assert.equal(
        loadedGzipBytes(join(dir, 'entry.js')),
        gz(files['entry.js']) + gz(files['chunks/a.js']) + gz(files['chunks/b.js']),
      );
      assert.equal(loadedGzipBytes(join(dir, 'not-built.js')), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an imported file that is not there is a MissingChunkError naming both files, not a smaller size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-dist-'));
    try {
      writeFileSync(join(dir, 'entry.js'), 'import{a}from"./gone.js";');
      assert.throws(
        () => loadedGzipBytes(join(dir, 'entry.js')),
        (error: unknown) =>
          error instanceof MissingChunkError &&
          error.file === join(dir, 'entry.js') &&
          error.missing === join(dir, 'gone.js'),
      );
      const error = new MissingChunkError('a.js', 'b.js');
      assert.equal(error.code, 'missing_chunk');
      assert.match(error.message, /a\.js imports b\.js, which does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
