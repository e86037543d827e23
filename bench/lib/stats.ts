/** Small statistics and number formatting shared by the benchmarks. */

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank) of `values` (NaN when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The p-th percentile of a sorted typed array (nearest rank). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** A number with `digits` significant digits (at least the integer part), thousands separated. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  const decimals = abs >= 10 ** (digits - 1) ? 0 : Math.min(6, digits - 1 - Math.floor(Math.log10(abs)));
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A ratio as `12.3×`. */
export function times(ratio: number): string {
  return `${fmt(ratio, 3)}×`;
}

/** Bytes as KiB with two decimals. */
export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(2)} KiB`;
}

/** Bytes as MiB with two decimals. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** An integer with thousands separators. */
export function int(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Reorder `items` for repeat `round`, so no variant always runs first (interleaving). */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Cumulative CPU jiffies of the whole machine from /proc/stat (null where unavailable). */
export async function machineCpu(): Promise<{ busy: number; total: number } | null> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile('/proc/stat', 'utf8').catch(() => '');
  const fields = /^cpu\s+(.*)$/m.exec(stat)?.[1]?.trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 5) return null;
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3]! + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Share of all cores busy between two `machineCpu()` readings, % (NaN when unknown). */
export function busyPct(a: { busy: number; total: number } | null, b: { busy: number; total: number } | null): number {
  if (!a || !b || b.total === a.total) return Number.NaN;
  return ((b.busy - a.busy) / (b.total - a.total)) * 100;
}
