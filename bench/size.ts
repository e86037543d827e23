/**
 * `npm run size`: the bundle size budgets of issue 6 (B3), checked in CI. Prints the B3 rows and
 * exits 1 when store + one transport is over 3 KiB or all elements + store + all transports
 * (without lit) is over 12 KiB, min+gzip.
 */
import { elementsFound, measureSizes, sizeRows } from './b3-size.ts';
import { formatTable } from './lib/report.ts';

const rows = sizeRows(await measureSizes(), true);
process.stdout.write(`${formatTable(rows)}\n\nelements measured: ${elementsFound().join(', ') || 'none'}\n`);
const over = rows.filter((r) => r.verdict === 'failed');
for (const r of over) process.stderr.write(`size budget exceeded: ${r.case}: ${r.ours} > ${r.target.replace('≤ ', '')} (${r.margin})\n`);
process.exitCode = over.length > 0 ? 1 : 0;
