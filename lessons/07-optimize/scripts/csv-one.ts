/**
 * One CSV variant in a loop, for a profiler or V8's tracing flags:
 *   node --cpu-prof --import tsx scripts/csv-one.ts join 300
 *   node --trace-deopt --import tsx scripts/csv-one.ts join 300
 */
import { generateItems } from '@course/shared';
import { csvWithConcat, csvWithJoin, csvWithPlus } from '../src/assemble.ts';

const variants = { plus: csvWithPlus, join: csvWithJoin, concat: csvWithConcat };
const name = process.argv[2] as keyof typeof variants;
const fn = variants[name];
if (!fn) { console.error(`usage: csv-one.ts ${Object.keys(variants).join('|')} [runs]`); process.exit(2); }
const runs = Number(process.argv[3] ?? 300);
const items = [...generateItems(10_000)];
const started = performance.now();
let bytes = 0;
for (let i = 0; i < runs; i++) bytes += fn(items).length;
console.log(`${name}: ${runs} exports, ${(bytes / runs / 1024).toFixed(0)} KiB each, ${((performance.now() - started) / runs).toFixed(2)} ms per export`);
