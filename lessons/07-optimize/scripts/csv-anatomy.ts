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

const totals: [string, () => unknown][] = [
  ['csvWithPlus: +=, then Buffer.from', () => csvWithPlus(items)],
  ['csvWithJoin: push, join, Buffer.from', () => csvWithJoin(items)],
  ['csvWithConcat: Buffer per line, concat', () => csvWithConcat(items)],
];
const kept: [string, () => unknown][] = [
  ['  make the 10k lines (template literals)', () => items.map(csvLine)],
  ['  += of the 10k lines (a rope of ropes)', () => plus(ropes)],
  ['  += of the 10k lines, then Buffer.from', () => Buffer.from(plus(ropes))],
  ['  join of the 10k lines (ropes)', () => ropes.join('')],
  ['  join of the same lines, flat', () => flat.join('')],
  ['  Buffer.from of the flat CSV (encode only)', () => Buffer.from(flatCsv)],
];

/** One step of a variant, fed the previous step's output (undefined for the first). */
type Step = [string, (input: never) => unknown];

/**
 * Times each step of a pipeline in the same runs, on the data the step before just made, and
 * reports means: the mean of the run totals is the sum of the steps' means (medians would not
 * add up: a GC pause lands in one step of one run).
 */
async function timeSteps(steps: Step[]): Promise<{ totalMs: number; stepMs: number[]; gcs: number; gcMs: number }> {
  const once = (record?: number[][]): void => {
    let value: unknown;
    steps.forEach(([, fn], i) => {
      const started = performance.now();
      value = (fn as (input: unknown) => unknown)(value);
      record?.[i]!.push(performance.now() - started);
    });
  };
  for (let i = 0; i < 30; i++) once();
  await settle();
  collections.length = 0;
  const samples = steps.map((): number[] => []);
  for (let i = 0; i < 200; i++) once(samples);
  await settle();
  const gcs = collections.splice(0);
  const mean = (xs: number[]): number => xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const totals = samples[0]!.map((_, run) => samples.reduce((sum, step) => sum + step[run]!, 0));
  return { totalMs: mean(totals), stepMs: samples.map(mean), gcs: gcs.length, gcMs: gcs.reduce((sum, e) => sum + e.duration, 0) };
}

const makeLines = (): string[] => [header, ...items.map(csvLine)];
const pipelines: [string, Step[]][] = [
  ['csvWithPlus, in steps', [
    ['make the 10k lines', makeLines],
    ['+= of them (a rope of ropes)', (lines: string[]) => plus(lines)],
    ['Buffer.from (flattens the rope, encodes)', (csv: string) => Buffer.from(csv)],
  ]],
  ['csvWithJoin, in steps', [
    ['make the 10k lines', makeLines],
    ['join of them (ropes)', (lines: string[]) => lines.join('')],
    ['Buffer.from (encodes the flat result)', (csv: string) => Buffer.from(csv)],
  ]],
];

const flags = process.execArgv.filter((a) => a !== '--import' && !a.includes('tsx')).join(' ') || 'default flags';
const row = (t: { ms: number; gcs: number; gcMs: number }, name: string): string =>
  `${t.ms.toFixed(3).padStart(8)} ${String(t.gcs).padStart(5)} ${t.gcMs.toFixed(1).padStart(7)}  ${name}`;
console.log(`${process.version} · ${flags} · median of 200 runs, and the GCs during them`);
console.log(`${'ms'.padStart(8)} ${'GCs'.padStart(5)} ${'GC ms'.padStart(7)}  step`);
for (const [name, fn] of totals) console.log(row(await time(fn), name));
for (const [name, fn] of kept) console.log(row(await time(fn), name));
console.log('(each row above is timed apart, in its own 200 runs, the indented ones on lines made once and');
console.log(' kept: their medians need not add up to the totals, as GC pauses land in other runs and medians');
console.log(' move by up to 2x between runs on a shared machine. Compare them with each other, rope against');
console.log(' flat. Below, each variant\'s steps timed in the same runs on fresh data: means, which add up.)');
for (const [name, steps] of pipelines) {
  const t = await timeSteps(steps);
  console.log(row({ ms: t.totalMs, gcs: t.gcs, gcMs: t.gcMs }, `${name}: mean total`));
  steps.forEach(([step], i) => console.log(`${t.stepMs[i]!.toFixed(3).padStart(8)} ${''.padStart(5)} ${''.padStart(7)}    ${step}`));
}
observer.disconnect();
