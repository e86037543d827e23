/**
 * The size figures of the READMEs, checked by `npm run size` so a README never quotes an old
 * size. A figure is marked with the name of what it measures, in a comment that renders as
 * nothing: `<!-- size: markdown chunk -->13.5 KiB`, or the difference of two measured bundles,
 * `<!-- size: protocol ag-ui + immutable-json-patch - protocol ag-ui -->0.1 KiB`. The names are
 * those of `measureSizes` (bench/b3-size.ts) and of the built files (`dist bundle`, `dist cdn at
 * load`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One marked figure of the README. */
export interface SizeFigure {
  /** 1-based line of the README. */
  line: number;
  /** The measured bundle, and the one subtracted from it for a difference. */
  name: string;
  minus: string | null;
  /** The figure as written, in KiB, and its number of decimals. */
  kib: number;
  decimals: number;
  /** Offset of the marker, and offset and length of the number, in the README text (for rewriting it). */
  start: number;
  at: number;
  length: number;
}

/** How far a figure may be from the measurement: 1 %, or half its last written digit when coarser. */
export const FIGURE_TOLERANCE = 0.01;

const MARKER_START = '<!-- size:';
const MARKER = /<!-- size: ([^>]*?)(?: - ([^>]*?))? -->(\d+(?:\.(\d+))?) KiB/g;

/** Every marked figure of `text`, in order. */
export function readmeFigures(text: string): SizeFigure[] {
  const figures: SizeFigure[] = [];
  for (const match of text.matchAll(MARKER)) {
    const number = match[3]!;
    const at = match.index + match[0].length - number.length - ' KiB'.length;
    figures.push({
      line: text.slice(0, match.index).split('\n').length,
      name: match[1]!,
      minus: match[2] ?? null,
      kib: Number(number),
      decimals: match[4]?.length ?? 0,
      start: match.index,
      at,
      length: number.length,
    });
  }
  return figures;
}

/** The lines of size markers that mark no figure (`<!-- size: … -->` not followed by `<number> KiB`): a figure the check would miss. */
export function strayMarkers(text: string): number[] {
  const starts = new Set(readmeFigures(text).map((figure) => figure.start));
  const lines: number[] = [];
  for (let at = text.indexOf(MARKER_START); at >= 0; at = text.indexOf(MARKER_START, at + 1))
    if (!starts.has(at)) lines.push(text.slice(0, at).split('\n').length);
  return lines;
}

/** The measured KiB a figure stands for, or null when a bundle it names was not measured. */
export function measuredKib(figure: SizeFigure, gzipBytes: (name: string) => number | undefined): number | null {
  const bytes = gzipBytes(figure.name);
  const minus = figure.minus === null ? 0 : gzipBytes(figure.minus);
  if (bytes === undefined || minus === undefined) return null;
  return (bytes - minus) / 1024;
}

/** Whether a figure as written stands for `measured` KiB (see `FIGURE_TOLERANCE`). */
export function figureHolds(figure: SizeFigure, measured: number): boolean {
  const tolerance = Math.max(measured * FIGURE_TOLERANCE, 0.5 * 10 ** -figure.decimals);
  return Math.abs(figure.kib - measured) <= tolerance;
}

/** `text` with every figure that has a measurement written anew, to the decimals it had. */
export function rewriteFigures(text: string, measured: (figure: SizeFigure) => number | null): string {
  let out = '';
  let from = 0;
  for (const figure of readmeFigures(text)) {
    const kib = measured(figure);
    if (kib === null) continue;
    out += text.slice(from, figure.at) + kib.toFixed(figure.decimals);
    from = figure.at + figure.length;
  }
  return out + text.slice(from);
}

/** A built file imports a file that is not there: the build is incomplete, and its size would be undercounted. */
export class MissingChunkError extends Error {
  readonly code = 'missing_chunk';
  constructor(
    readonly file: string,
    readonly missing: string,
  ) {
    super(`${file} imports ${missing}, which does not exist: build again (npm run build)`);
    this.name = 'MissingChunkError';
  }
}

/**
 * gzip -9 bytes of a built file and of every file it imports statically (`from "./x.js"`,
 * `import "./x.js"`: what a page loads with it; `import("./x.js")` is loaded later and not
 * counted), each once; undefined when `file` is not there (before a build). An imported file that
 * is not there throws a MissingChunkError.
 */
export function loadedGzipBytes(file: string, seen = new Set<string>()): number | undefined {
  if (seen.has(file)) return 0;
  if (!existsSync(file)) return undefined;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  let total = gzipSync(code, { level: 9 }).length;
  for (const [, path] of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.\.?\/[^"']+)["']/g)) {
    const imported = join(dirname(file), path!);
    const bytes = loadedGzipBytes(imported, seen);
    if (bytes === undefined) throw new MissingChunkError(file, imported);
    total += bytes;
  }
  return total;
}
