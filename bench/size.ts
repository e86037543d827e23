/**
 * `npm run size`: bundle sizes (B3) in CI, gated by regression ceilings.
 *
 * Prints the B3 rows with the issue's budgets as targets (store + one transport ≤ 3 KiB, all
 * elements + store + all transports without lit ≤ 12 KiB, min+gzip): both are missed today and
 * the table says so, with the margin. The budgets do not decide the exit code. The ceilings in
 * bench/size-ceilings.json do: gzip -9 bytes per bundle, set at the measured size plus about 3 %.
 * Exit 1 when a bundle is over its ceiling, or when the file names a bundle that is not measured.
 *
 * `npm run size -- --why [bundle …]` also lists every module of the named bundles (default: core and
 * all) with its minified bytes, biggest first: where the bytes went.
 *
 * A ceiling is raised by hand, deliberately, with the reason in the commit.
 * `npm run size -- --set-ceilings` rewrites every ceiling in the file as measured + 3 % (after a
 * reduction, or to adopt a growth that was meant); review the diff before committing it.
 *
 * The size figures of README.md and bench/README.md are checked too (see
 * bench/lib/readme-sizes.ts): exit 1 when one is more than 1 % off. `npm run size -- --set-readme`
 * writes them anew. The built files' figures (`npm run build` first) are checked when dist/ holds
 * them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreProtocols, elementsFound, measureSizes, sizeRows } from './b3-size.ts';
import {
  figureHolds,
  loadedGzipBytes,
  measuredKib,
  readmeFigures,
  rewriteFigures,
  strayMarkers,
} from './lib/readme-sizes.ts';
import { formatTable, row, type Row } from './lib/report.ts';
import { fmt, kib } from './lib/stats.ts';

const CEILINGS_FILE = fileURLToPath(new URL('./size-ceilings.json', import.meta.url));
/** The READMEs whose size figures are checked: name shown → path. */
const READMES = ['README.md', 'bench/README.md'].map(
  (file) => [file, fileURLToPath(new URL(`../${file}`, import.meta.url))] as const,
);
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
/** Headroom of a ceiling set by `--set-ceilings`. */
const HEADROOM = 0.03;
/** Headroom beyond which the output suggests lowering a ceiling (a reduction should be kept). */
const SLACK = 0.08;

/** bench/size-ceilings.json. */
interface CeilingsFile {
  $comment?: string;
  /** Bundle name (as in `measureSizes`) → gzip -9 bytes it may not exceed. */
  gzipBytes: Record<string, number>;
}

const file = JSON.parse(readFileSync(CEILINGS_FILE, 'utf8')) as CeilingsFile;
const sizes = await measureSizes();
const bytes = (n: number): string => `${fmt(n, 1)} B`;
const problems: string[] = [];
const notes: string[] = [];

for (const name of Object.keys(file.gzipBytes)) {
  if (!sizes[name])
    problems.push(
      `bench/size-ceilings.json names "${name}", which is not a measured bundle (${Object.keys(sizes).join(' | ')})`,
    );
}

for (const found of coreProtocols(sizes))
  problems.push(`a protocol module is bundled where none may be (${found}): the registry must load it with import()`);

const setting = process.argv.includes('--set-ceilings');
if (setting) {
  const gzipBytes: Record<string, number> = {};
  for (const [name, old] of Object.entries(file.gzipBytes)) {
    const size = sizes[name];
    if (!size) continue;
    gzipBytes[name] = Math.ceil(size.gzip * (1 + HEADROOM));
    notes.push(`ceiling ${name}: ${bytes(old)} → ${bytes(gzipBytes[name])}`);
  }
  writeFileSync(CEILINGS_FILE, `${JSON.stringify({ ...file, gzipBytes }, null, 2)}\n`);
  notes.push('wrote bench/size-ceilings.json (measured + 3 %); review the diff before committing it');
  file.gzipBytes = gzipBytes;
  problems.length = 0;
}

const ceilingRows: Row[] = Object.entries(file.gzipBytes).flatMap(([name, ceiling]) => {
  const size = sizes[name];
  if (!size) return [];
  const over = size.gzip > ceiling;
  if (over)
    problems.push(
      `over ceiling: ${name}: ${bytes(size.gzip)} > ${bytes(ceiling)} gzip; raise it deliberately in bench/size-ceilings.json`,
    );
  else if (size.gzip < ceiling * (1 - SLACK)) {
    notes.push(
      `${name} is ${bytes(size.gzip)}, well under its ceiling ${bytes(ceiling)}: lower it (npm run size -- --set-ceilings) to keep the reduction`,
    );
  }
  return [
    row({
      bench: 'CI',
      case: name,
      metric: 'gzip -9 (regression ceiling)',
      ours: `${bytes(size.gzip)} (${kib(size.gzip)})`,
      target: `≤ ${bytes(ceiling)}`,
      verdict: over ? 'failed' : 'met',
      margin: over
        ? `+${bytes(size.gzip - ceiling)} over`
        : `${bytes(ceiling - size.gzip)} headroom (${fmt(((ceiling - size.gzip) / ceiling) * 100, 2)} %)`,
    }),
  ];
});

/** The built files the README quotes: the one-file bundle, and the CDN build's entry with the chunks it imports at load. */
const built: Record<string, number | undefined> = {
  'dist bundle': loadedGzipBytes(join(DIST, 'agentwire.bundle.js')),
  'dist cdn at load': loadedGzipBytes(join(DIST, 'cdn', 'agentwire.js')),
};
const gzipOf = (name: string): number | undefined => sizes[name]?.gzip ?? built[name];
for (const [file, path] of READMES) {
  const text = readFileSync(path, 'utf8');
  if (process.argv.includes('--set-readme')) {
    writeFileSync(
      path,
      rewriteFigures(text, (figure) => measuredKib(figure, gzipOf)),
    );
    notes.push(`wrote the size figures of ${file} as measured; review the diff before committing it`);
    continue;
  }
  for (const line of strayMarkers(text))
    problems.push(`${file}:${line}: a size marker is not followed by a figure in KiB ("<!-- size: name -->12.3 KiB")`);
  for (const figure of readmeFigures(text)) {
    const what = figure.minus === null ? `"${figure.name}"` : `"${figure.name}" − "${figure.minus}"`;
    const measured = measuredKib(figure, gzipOf);
    if (measured === null) {
      if (figure.name in built || (figure.minus ?? '') in built)
        notes.push(`${file}:${figure.line}: ${what} not checked (no dist/: npm run build first)`);
      else problems.push(`${file}:${figure.line}: the size figure of ${what} names no measured bundle`);
    } else if (!figureHolds(figure, measured))
      problems.push(
        `${file}:${figure.line}: ${what} is written ${figure.kib.toFixed(figure.decimals)} KiB, measured ${measured.toFixed(2)} KiB (npm run size -- --set-readme)`,
      );
  }
}

/** `--why [bundle …]`: the bundles whose modules to list (names as in `measureSizes`). */
function whyBundles(argv: readonly string[]): string[] {
  const at = argv.indexOf('--why');
  if (at < 0) return [];
  const named = argv.slice(at + 1).filter((a) => !a.startsWith('--'));
  return named.length > 0 ? named : ['core', 'all'];
}

const why = whyBundles(process.argv).map((name) => {
  const size = sizes[name];
  if (!size) {
    problems.push(`--why names "${name}", which is not a measured bundle (${Object.keys(sizes).join(' | ')})`);
    return '';
  }
  const total = size.modules.reduce((sum, [, n]) => sum + n, 0);
  const lines = size.modules.map(
    ([file, n]) => `  ${fmt(n, 1).padStart(8)} B  ${fmt((n / total) * 100, 1).padStart(5)} %  ${file}`,
  );
  return `\n${name}: ${bytes(total)} minified in ${size.modules.length} modules, ${bytes(size.gzip)} gzip -9\n${lines.join('\n')}\n`;
});

process.stdout.write(
  `${formatTable([...sizeRows(sizes), ...ceilingRows])}\n${why.join('')}\n` +
    `elements measured: ${elementsFound().join(', ') || 'none'}\n` +
    'B3 rows: the issue budgets, reported (met / missed); they do not fail the run.\n' +
    'CI rows: the regression ceilings of bench/size-ceilings.json; a bundle over its ceiling fails the run.\n' +
    notes.map((n) => `${n}\n`).join(''),
);
for (const problem of problems) process.stderr.write(`${problem}\n`);
process.exitCode = problems.length > 0 ? 1 : 0;
