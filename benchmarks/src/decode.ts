import { existsSync } from 'node:fs';
import { printRows, type BenchRow } from './bench-harness.ts';
import { benchJt808 } from './decode-jt808.ts';

// Frames per second on one core through splitter + decoder to the normalised Position, each case beside
// the same layout parsed with binary-parser in this run. `npm run -w @urbanlink/benchmarks decode`.
const gt06Module = new URL('./decode-gt06.ts', import.meta.url);
const rows: BenchRow[] = [];
if (existsSync(gt06Module)) {
  const { benchGt06 } = (await import(gt06Module.href)) as { benchGt06: () => BenchRow[] };
  rows.push(...benchGt06());
} else {
  console.log('decode-gt06.ts not present: GT06 cases skipped');
}
rows.push(...benchJt808());
console.log(`node ${process.version}, ${process.arch}`);
printRows(rows);
