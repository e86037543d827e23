/** What every benchmark returns, and the one table `npm run bench` prints. */

/** How a row compares with its target: `info` rows carry no target. */
export type Verdict = 'met' | 'missed' | 'info' | 'failed';

/** One line of the table: a measured figure of ours beside what it is compared with. */
export interface Row {
  /** Benchmark id, e.g. `B1`. */
  bench: string;
  /** The case measured, e.g. `2,000 tok/s`. */
  case: string;
  /** What is measured, e.g. `main-thread ms / 1k tokens`. */
  metric: string;
  /** Our figure, formatted with its unit. */
  ours: string;
  /** The figures ours is compared with, measured in the same run (e.g. `limit 4.1 · naive 380`). */
  versus: string;
  /** Ratios of ours against those figures. */
  ratio: string;
  /** The target, as the issue states it ('' for information only). */
  target: string;
  verdict: Verdict;
  /** How far from the target (e.g. `2.3× under budget`, `+6.1 KiB over`). */
  margin: string;
}

/** The outcome of one benchmark module. */
export interface BenchResult {
  id: string;
  title: string;
  rows: Row[];
  /** Raw measurements for results.json (medians and every repeat). */
  data: Record<string, unknown>;
  /** What the method is, what limits a miss, what was cut short. */
  notes: string[];
  /** Wall time of the benchmark, ms. */
  durationMs: number;
  /** How busy the whole machine was meanwhile (all processes, all cores), %; set by the runner. */
  machineBusyPct?: number;
}

/** Build a row; `margin` defaults to ''. */
export function row(
  fields: Omit<Row, 'margin' | 'versus' | 'ratio' | 'target'> &
    Partial<Pick<Row, 'margin' | 'versus' | 'ratio' | 'target'>>,
): Row {
  return { versus: '', ratio: '', target: '', margin: '', ...fields };
}

const COLUMNS: { key: keyof Row; title: string; max: number }[] = [
  { key: 'bench', title: '#', max: 3 },
  { key: 'case', title: 'case', max: 34 },
  { key: 'metric', title: 'metric', max: 36 },
  { key: 'ours', title: 'ours', max: 24 },
  { key: 'versus', title: 'same run: others', max: 58 },
  { key: 'ratio', title: 'ratio', max: 42 },
  { key: 'target', title: 'target', max: 24 },
  { key: 'verdict', title: 'verdict', max: 7 },
  { key: 'margin', title: 'margin', max: 40 },
];

/** Split `text` into lines of at most `width` characters, breaking at spaces where possible. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

/** The table as text: one header, one (possibly wrapped) line group per row, a rule between benchmarks. */
export function formatTable(rows: readonly Row[]): string {
  const widths = COLUMNS.map((c) => Math.min(c.max, Math.max(c.title.length, ...rows.map((r) => r[c.key].length))));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join(' │ ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  const out = [line(COLUMNS.map((c) => c.title)), rule];
  let previous = '';
  for (const r of rows) {
    if (previous !== '' && r.bench !== previous) out.push(rule);
    previous = r.bench;
    const cells = COLUMNS.map((c, i) => wrap(r[c.key], widths[i]!));
    const height = Math.max(...cells.map((c) => c.length));
    for (let h = 0; h < height; h++) out.push(line(cells.map((c) => c[h] ?? '')));
  }
  return out.join('\n');
}
