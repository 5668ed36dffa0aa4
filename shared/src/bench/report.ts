/**
 * Printing and saving bench results: one table, one quotable ratio line per variant, JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../config.ts';
import type { BenchOptions } from './bench-args.ts';

/** One variant's aggregated result. */
export interface VariantResult {
  name: string;
  /** Throughput: requests or operations per second over all measured rounds. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** Name of the variant this one is compared with, if any. */
  baseline?: string;
  /** Lesson-specific numbers (e.g. the server's event-loop delay), averaged over rounds. */
  extra: Record<string, number>;
  /** The raw per-round results, for the JSON file. */
  rounds: unknown[];
}

/** Everything about one bench run. */
export interface BenchReport {
  lesson: string;
  title: string;
  unit: string;
  date: string;
  node: string;
  cores: number;
  cpu: string;
  options: BenchOptions;
  variants: VariantResult[];
  /** The ratio lines as printed. */
  ratios: string[];
}

/** The facts every README number must carry: date, cores, Node version. */
export function environmentLine(): string {
  return `${new Date().toISOString().slice(0, 10)} · ${availableParallelism()} cores · Node ${process.version}`;
}

function fmt(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** `2.3x`, `0.14x`, `48x`: enough digits to quote, no more. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  return ratio >= 10 ? `${ratio.toFixed(0)}x` : ratio >= 1 ? `${ratio.toFixed(1)}x` : `${ratio.toFixed(2)}x`;
}

/** The line a reader quotes: `cached / uncached = 6.3x req/s (p99 4 ms vs 31 ms)`. */
export function ratioLine(variant: VariantResult, base: VariantResult, unit: string): string {
  return `${variant.name} / ${base.name} = ${formatRatio(variant.rate / base.rate)} ${unit} (p99 ${fmt(variant.p99Ms)} ms vs ${fmt(base.p99Ms)} ms)`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ')).join('\n');
}

/**
 * Prints the table and ratio lines, writes `results/<lesson>/<title>-<time>.json`
 * (unless `--no-save`), and returns the report.
 */
export function report(
  lesson: string, title: string, unit: string, options: BenchOptions, variants: VariantResult[],
  /** Connections per variant, when they differ from `options.connections` (HTTP benches). */
  connections?: Record<string, number>,
): BenchReport {
  const extraKeys = [...new Set(variants.flatMap((v) => Object.keys(v.extra)))];
  const rows = [
    ['variant', unit, 'p50 ms', 'p99 ms', 'errors', 'non-2xx', ...extraKeys],
    ...variants.map((v) => [v.name, fmt(v.rate), fmt(v.p50Ms), fmt(v.p99Ms), String(v.errors), String(v.non2xx), ...extraKeys.map((k) => (v.extra[k] === undefined ? '-' : fmt(v.extra[k]!)))]),
  ];
  const explicit = variants.some((v) => v.baseline);
  const ratios: string[] = [];
  variants.forEach((v, i) => {
    const baseName = explicit ? v.baseline : i > 0 ? variants[0]!.name : undefined;
    const base = baseName && variants.find((b) => b.name === baseName);
    if (base) ratios.push(ratioLine(v, base, unit));
  });
  const cpu = (process.env.BENCH_CPU_LABEL ?? '').trim();
  console.log(`\n${lesson} · ${title} · ${environmentLine()}`);
  const counts = [...new Set(Object.values(connections ?? {}))];
  const connectionText = counts.length > 1
    ? `, connections per variant: ${Object.entries(connections!).map(([name, n]) => `${name} ${n}`).join(', ')}`
    : unit === 'req/s' ? `, ${counts[0] ?? options.connections} connections` : '';
  console.log(`${options.rounds} round(s) × ${options.duration} s per variant after ${options.warmup} s warm-up, alternating order${connectionText}`);
  console.log(table(rows));
  for (const line of ratios) console.log(line);

  const result: BenchReport = {
    lesson, title, unit, date: new Date().toISOString(), node: process.version, cores: availableParallelism(), cpu,
    options, variants, ratios,
  };
  if (!options.noSave) {
    const dir = join(repoRoot, 'results', lesson);
    mkdirSync(dir, { recursive: true });
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    writeFileSync(join(dir, `${slug}-${result.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  }
  return result;
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
