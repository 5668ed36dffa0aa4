/**
 * Printing and saving bench results: one table, one quotable ratio line per variant, the
 * reproduce verdicts against the lesson's reference run, JSON in results/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../config.ts';
import type { Attribution } from './attribution.ts';
import type { BenchOptions } from './bench-args.ts';
import { machineCores } from './isolation.ts';
import { readReference, recordVerdict, referencePath, saveReference, verdict, type ReferenceRatio } from './reference.ts';
import { rangesOverlap, type Range } from './statistics.ts';

export { median } from './statistics.ts';

/** One variant's aggregated result. */
export interface VariantResult {
  name: string;
  /** Throughput: requests or operations per second over all measured rounds. */
  rate: number;
  /** Percentiles of all measured requests (merged histogram; older callers: median of rounds). */
  p50Ms: number;
  p99Ms: number;
  p999Ms?: number;
  errors: number;
  non2xx: number;
  /** Name of the variant this one is compared with, if any. */
  baseline?: string;
  /** Lesson-specific numbers (e.g. the server's event-loop delay), median over rounds. */
  extra: Record<string, number>;
  /** The raw per-round results, for the JSON file. */
  rounds: unknown[];
  /** Lowest and highest per-round rate. */
  range?: Range;
  /** Where the time went (HTTP benches). */
  attribution?: Attribution;
  /** Operations per timed batch (ops benches: sub-microsecond operations are timed in batches). */
  batch?: number;
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

/** Extra lines a bench passes to the report. */
export interface ReportNotes {
  /** How servers and generator were placed on CPUs (printed in the header). */
  isolation?: string;
  /** Printed after the ratio lines (e.g. the --profile "what changed" tables). */
  after?: string[];
}

/** The facts every README number must carry: date, cores, Node version. */
export function environmentLine(): string {
  return `${new Date().toISOString().slice(0, 10)} · ${machineCores()} cores · Node ${process.version}`;
}

/** The course's reference Node (`.node-version` at the repo root), if the file is there. */
export function referenceNode(): string | undefined {
  const file = join(repoRoot, '.node-version');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().replace(/^v/, '') : undefined;
}

/** A header line when this Node's major differs from the reference's, else undefined. */
export function nodeVersionNote(running = process.version): string | undefined {
  const reference = referenceNode();
  if (!reference) return undefined;
  const major = (v: string): string => v.replace(/^v/, '').split('.')[0]!;
  return major(reference) === major(running) ? undefined : `note: README numbers were taken on Node ${reference}; this is Node ${running}`;
}

/** A number for a table cell; "–" where there is none (never a made-up 0). */
export function fmt(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  if (Math.abs(value) >= 1 || value === 0) return value.toFixed(2);
  return value.toPrecision(2);
}

/** `2.3x`, `0.14x`, `48x`: enough digits to quote, no more. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  if (ratio >= 10) return `${ratio.toFixed(0)}x`;
  if (ratio >= 1) return `${ratio.toFixed(1)}x`;
  return ratio >= 0.1 || ratio === 0 ? `${ratio.toFixed(2)}x` : `${ratio.toPrecision(2)}x`;
}

/** True when the two variants' per-round rates overlap: the ratio is within this run's noise. */
export function withinNoise(variant: VariantResult, base: VariantResult): boolean {
  return variant.range !== undefined && base.range !== undefined && rangesOverlap(variant.range, base.range);
}

/**
 * The line a reader quotes, naming both sides:
 * `cached / uncached = 6.3x req/s, 0.16x CPU per request (p99 4.1 ms vs 31 ms)`.
 */
export function ratioLine(variant: VariantResult, base: VariantResult, unit: string): string {
  const cpuV = variant.attribution?.serverCpuUsPerRequest;
  const cpuB = base.attribution?.serverCpuUsPerRequest;
  const cpu = cpuV !== undefined && cpuB !== undefined && cpuB > 0 ? `, ${formatRatio(cpuV / cpuB)} CPU per request` : '';
  const noise = withinNoise(variant, base) ? ' (within noise)' : '';
  return `${variant.name} / ${base.name} = ${formatRatio(variant.rate / base.rate)} ${unit}${cpu} (p99 ${fmt(variant.p99Ms)} ms vs ${fmt(base.p99Ms)} ms)${noise}`;
}

/** Fixed-width text table; first column left-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ')).join('\n');
}

/** The table's columns: the basics, spread, attribution where any variant has it, extras. */
export function tableRows(unit: string, variants: readonly VariantResult[]): string[][] {
  const extraKeys = [...new Set(variants.flatMap((v) => Object.keys(v.extra)))];
  const hasRange = variants.some((v) => v.range);
  const hasAttribution = variants.some((v) => v.attribution);
  const hasBatch = variants.some((v) => v.batch !== undefined && v.batch > 1);
  const header = [
    'variant', unit, ...(hasRange ? ['min–max'] : []), 'p50 ms', 'p99 ms', 'errors', 'non-2xx',
    ...(hasAttribution ? ['srv µs/req', 'procs', 'gen µs/req', 'gen %CPU', 'ELU', 'GC n', 'GC ms'] : []),
    ...(hasBatch ? ['batch'] : []),
    ...extraKeys,
  ];
  const rows = variants.map((v) => {
    const a = v.attribution;
    return [
      v.name, fmt(v.rate), ...(hasRange ? [v.range ? `${fmt(v.range.min)}–${fmt(v.range.max)}` : '–'] : []),
      fmt(v.p50Ms), fmt(v.p99Ms), String(v.errors), String(v.non2xx),
      ...(hasAttribution
        ? [fmt(a?.serverCpuUsPerRequest), a?.processes === undefined ? '–' : String(a.processes), fmt(a?.generatorCpuUsPerRequest), fmt(a?.generatorSharePct), a?.elu === undefined ? '–' : a.elu.toFixed(2), a?.gcCount === undefined ? '–' : String(a.gcCount), fmt(a?.gcMs)]
        : []),
      ...(hasBatch ? [v.batch === undefined ? '–' : String(v.batch)] : []),
      ...extraKeys.map((k) => fmt(v.extra[k])),
    ];
  });
  return [header, ...rows];
}

/** Each variant with its baseline: explicit `baseline`s, or else every variant against the first. */
export function pairs(variants: readonly VariantResult[]): [VariantResult, VariantResult][] {
  const explicit = variants.some((v) => v.baseline);
  const out: [VariantResult, VariantResult][] = [];
  variants.forEach((v, i) => {
    const baseName = explicit ? v.baseline : i > 0 ? variants[0]!.name : undefined;
    const base = baseName ? variants.find((b) => b.name === baseName) : undefined;
    if (base) out.push([v, base]);
  });
  return out;
}

function reproduceLines(lesson: string, title: string, options: BenchOptions, variantPairs: [VariantResult, VariantResult][], date: string): string[] {
  const ratios: ReferenceRatio[] = variantPairs.map(([v, b]) => ({
    variant: v.name,
    baseline: b.name,
    rate: v.rate / b.rate,
    ...(v.attribution?.serverCpuUsPerRequest !== undefined && b.attribution?.serverCpuUsPerRequest ? { cpuPerRequest: v.attribution.serverCpuUsPerRequest / b.attribution.serverCpuUsPerRequest } : {}),
    withinNoise: withinNoise(v, b),
  }));
  if (ratios.length === 0) return [];
  if (options.saveReference) {
    const path = saveReference(title, ratios, { date, node: process.version, cores: machineCores() });
    return path ? [`reference saved: ${path}`] : [];
  }
  const path = referencePath();
  const file = readReference(path);
  const entry = file?.benches[title];
  const smoke = options.short;
  const lines = [file && entry
    ? `reproduce: against ${path?.split('/').slice(-2).join('/')} (${file.date.slice(0, 10)}, Node ${file.node}, ${file.cores} cores; same direction and within ±${Math.round(file.tolerance * 100)}%)${smoke ? ' — smoke run, verdicts indicative only' : ''}`
    : `reproduce: no reference for "${title}"${path ? ` in ${path.split('/').slice(-2).join('/')}` : ''} (write one with --save-reference)`];
  if (!file || !entry) {
    for (const r of ratios) recordVerdict({ lesson, title, ratio: `${r.variant} / ${r.baseline}`, mine: r.rate, verdict: 'no reference', smoke });
    return lines;
  }
  const rows = [['ratio', 'this run', 'reference', 'verdict']];
  for (const r of ratios) {
    const ref = entry.ratios.find((x) => x.variant === r.variant && x.baseline === r.baseline);
    const v = verdict(r.rate, ref?.rate, file.tolerance);
    rows.push([`${r.variant} / ${r.baseline}`, formatRatio(r.rate), ref ? `${formatRatio(ref.rate)}${ref.withinNoise ? ' (noise)' : ''}` : '–', v.text]);
    recordVerdict({ lesson, title, ratio: `${r.variant} / ${r.baseline}`, mine: r.rate, reference: ref?.rate, verdict: v.kind, smoke });
  }
  return [...lines, ...table(rows).split('\n').map((l) => `  ${l}`)];
}

/**
 * Prints the table, ratio lines and reproduce verdicts, writes
 * `results/<lesson>/<title>-<time>.json` (unless `--no-save`), and returns the report.
 */
export function report(
  lesson: string, title: string, unit: string, options: BenchOptions, variants: VariantResult[],
  /** Connections per variant, when they differ from `options.connections` (HTTP benches). */
  connections?: Record<string, number>,
  notes: ReportNotes = {},
): BenchReport {
  const date = new Date().toISOString();
  const variantPairs = pairs(variants);
  const ratios = variantPairs.map(([v, b]) => ratioLine(v, b, unit));
  const cpu = (process.env.BENCH_CPU_LABEL ?? '').trim();
  console.log(`\n${lesson} · ${title} · ${environmentLine()}`);
  const counts = [...new Set(Object.values(connections ?? {}))];
  const connectionText = counts.length > 1
    ? `, connections per variant: ${Object.entries(connections!).map(([name, n]) => `${name} ${n}`).join(', ')}`
    : unit === 'req/s' ? `, ${counts[0] ?? options.connections} connections` : '';
  console.log(`${options.rounds} round(s) × ${options.duration} s per variant after ${options.warmup} s warm-up, alternating order${connectionText}`);
  if (options.short) console.log('SMOKE RUN (--short): shows that the bench works; its numbers are not a measurement');
  const versionNote = nodeVersionNote();
  if (versionNote) console.log(versionNote);
  if (notes.isolation) console.log(notes.isolation);
  console.log(table(tableRows(unit, variants)));
  for (const line of ratios) console.log(line);
  for (const line of notes.after ?? []) console.log(line);
  for (const line of reproduceLines(lesson, title, options, variantPairs, date)) console.log(line);

  const result: BenchReport = {
    lesson, title, unit, date, node: process.version, cores: machineCores(), cpu,
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
