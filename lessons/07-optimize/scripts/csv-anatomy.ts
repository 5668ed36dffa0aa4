/**
 * Why `array.join('')` is the slowest way to build lesson 07's CSV export: each step of the
 * three variants of src/assemble.ts timed on its own (median of 200 runs after 30 warm-ups).
 *
 *   cd lessons/07-optimize && npm run explain:csv
 *   node --no-maglev --import tsx scripts/csv-anatomy.ts    # the same without Maglev
 *
 * Every CSV line is a template literal, which V8 builds as a rope (a cons string: a tree of
 * the pieces), not as flat characters. The "flat lines" rows give join the same lines,
 * flattened beforehand, to show what the ropes cost it.
 */
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { generateItems } from '@course/shared';
import { csvLine, csvWithConcat, csvWithJoin, csvWithPlus, header } from '../src/assemble.ts';

const items = [...generateItems(10_000)];
const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;
// Garbage collections, as Node reports them (entries arrive on a later turn of the loop).
const collections: PerformanceEntry[] = [];
const observer = new PerformanceObserver((list) => { collections.push(...list.getEntries()); });
observer.observe({ entryTypes: ['gc'] });
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function time(fn: () => unknown): Promise<{ ms: number; gcs: number; gcMs: number }> {
  for (let i = 0; i < 30; i++) fn();
  await settle();
  collections.length = 0;
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  await settle();
  const gcs = collections.splice(0);
  return { ms: median(samples), gcs: gcs.length, gcMs: gcs.reduce((sum, e) => sum + e.duration, 0) };
}

// The same characters as flat (sequential) strings, decoded from bytes. Buffer.from flattens a
// rope in place, so these are made from lines of their own, before the ropes.
const flat = [header, ...items.map(csvLine)].map((line) => Buffer.from(line).toString('latin1'));
const ropes = [header, ...items.map(csvLine)];
const plus = (lines: readonly string[]): string => {
  let out = '';
  for (const line of lines) out += line;
  return out;
};
const flatCsv = flat.join('');

const rows: [string, () => unknown][] = [
  ['csvWithPlus: +=, then Buffer.from', () => csvWithPlus(items)],
  ['csvWithJoin: push, join, Buffer.from', () => csvWithJoin(items)],
  ['csvWithConcat: Buffer per line, concat', () => csvWithConcat(items)],
  ['  make the 10k lines (template literals)', () => items.map(csvLine)],
  ['  += of the 10k lines (a rope of ropes)', () => plus(ropes)],
  ['  += of the 10k lines, then Buffer.from', () => Buffer.from(plus(ropes))],
  ['  join of the 10k lines (ropes)', () => ropes.join('')],
  ['  join of the same lines, flat', () => flat.join('')],
  ['  Buffer.from of the flat CSV (encode only)', () => Buffer.from(flatCsv)],
];
const flags = process.execArgv.filter((a) => a !== '--import' && !a.includes('tsx')).join(' ') || 'default flags';
console.log(`${process.version} · ${flags} · median of 200 runs, and the GCs during them`);
console.log(`${'ms'.padStart(8)} ${'GCs'.padStart(5)} ${'GC ms'.padStart(7)}  step`);
for (const [name, fn] of rows) {
  const t = await time(fn);
  console.log(`${t.ms.toFixed(3).padStart(8)} ${String(t.gcs).padStart(5)} ${t.gcMs.toFixed(1).padStart(7)}  ${name}`);
}
observer.disconnect();
