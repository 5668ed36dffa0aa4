/**
 * Printing and saving bench results: the run's conditions, one table, one quotable ratio line
 * per pair with 95% intervals from paired rounds, the A/A row as the run's noise floor, the
 * reproduce verdicts against the lesson's reference run, JSON in results/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from '../config.ts';
import type { Attribution } from './attribution.ts';
import type { BenchOptions } from './bench-args.ts';
import { intervalDirection, intervalsOverlap, minReliablePairs, pairedRatio, type Interval } from './confidence.ts';
import { machineCores } from './isolation.ts';
import type { LatencyHistogram } from './latency-histogram.ts';
import { readReference, recordVerdict, referenceFacts, referencePath, saveReference, verdict, type ReferenceRatio, type VerdictKind } from './reference.ts';
import { rangesOverlap, type Range } from './statistics.ts';

export { median } from './statistics.ts';
export type { Interval } from './confidence.ts';

/** Latency at one percentile, from a variant's merged histogram. */
export interface PercentilePoint { percentile: number; ms: number }

/** The percentiles every HTTP variant reports. */
export const reportedPercentiles = [50, 75, 90, 99, 99.9, 99.99] as const;

/** The reported percentiles of a merged histogram (none when it is empty). */
export function percentilePoints(histogram: LatencyHistogram): PercentilePoint[] {
  return histogram.count === 0 ? [] : reportedPercentiles.map((percentile) => ({ percentile, ms: histogram.percentileMs(percentile) }));
}

/** One ratio of a run (variant / baseline), as printed on its ratio line. */
export interface Comparison {
  variant: string;
  baseline: string;
  /** Rate ratio: geometric mean of the per-round-pair ratios, and its 95% CI; `pairs` behind it. */
  rate: { ratio: number; ci?: Interval; pairs?: number };
  /** Server CPU µs per request ratio, when measured (same method). */
  cpuPerRequest?: { ratio: number; ci?: Interval; pairs?: number };
  /** True for the A/A row (same configuration on both sides). */
  aa: boolean;
  status: 'finding' | 'no difference' | 'smoke';
  verdict: { kind: VerdictKind; text: string; reference?: { ratio: number; ci?: Interval; node: string; date: string } };
}

/** What decides whether a run can be trusted, printed in its header. */
export interface RunConditions {
  /** 1, 5 and 15 minute load averages before the bench started. */
  loadAverage: [number, number, number];
  /** Servers pinned apart from the generator (taskset). */
  pinned: boolean;
  /** Highest share of one core the load generator used in any variant (0–1+). */
  generatorCoreShare?: number;
  /** A generator at ~90% or more of its core is saturated: its req/s says more about it than about the server. */
  generatorSaturated?: boolean;
}

/** The A/A intervals of a run: rate, and CPU per request when measured. */
export interface NoiseFloor { rate?: Interval; cpu?: Interval }

/** Load average when this module was loaded: "before start" for callers that give none. */
const loadAtStart = loadavg() as [number, number, number];
/** A generator at this share of its core or more is saturated. */
export const saturatedShare = 0.9;
/** Load average per core above which a run's numbers are suspect. */
export const busyLoadPerCore = 0.5;

/** A path for printing: relative to the repository root, never absolute. */
export function repoPath(path: string): string {
  return relative(repoRoot, path) || '.';
}

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
  /**
   * The raw per-round results, for the JSON file. Rounds with a numeric `rate` (and
   * `cpuPerRequest`, µs) are what the intervals are computed from, paired by index.
   */
  rounds: unknown[];
  /** p50 … p99.99 of the merged histogram of every measured request. */
  percentiles?: PercentilePoint[];
  /** This row is the A/A row (the same configuration as its baseline). */
  aa?: boolean;
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
  comparisons: Comparison[];
  /** A --short run: a smoke test, no findings and no verdicts. */
  smoke: boolean;
  /** The A/A rate interval of this run (full runs only). */
  noiseFloor?: Interval;
  conditions: RunConditions;
}

/** Extra lines a bench passes to the report. */
export interface ReportNotes {
  /** How servers and generator were placed on CPUs (printed in the header). */
  isolation?: string;
  /** Printed after the ratio lines (e.g. the --profile "what changed" tables). */
  after?: string[];
  /** Printed in the header after the isolation line (e.g. an ops bench's batch size). */
  header?: string[];
  /** Load average before start and pinning, as the bench measured them. */
  conditions?: Partial<Pick<RunConditions, 'loadAverage' | 'pinned'>>;
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

/** Older callers: true when the two variants' per-round ranges overlap (no longer a verdict). */
export function withinNoise(variant: VariantResult, base: VariantResult): boolean {
  return variant.range !== undefined && base.range !== undefined && rangesOverlap(variant.range, base.range);
}

/** A ratio or interval bound with enough digits to tell 1.71 from 1.94: `1.82`, `0.55`, `12.3`, `756`. */
export function fmtRatio(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  if (value >= 0.1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** `95% CI 1.71–1.94` (with `label`), or `1.71–1.94`. */
export function formatInterval(ci: Interval, label = ''): string {
  return `${label}${fmtRatio(ci.low)}–${fmtRatio(ci.high)}`;
}

/**
 * The line a reader quotes, naming both sides. With a comparison (intervals):
 * `cached / uncached = 1.82x req/s (95% CI 1.71–1.94), 0.55x CPU per request (0.51–0.60) (p99 4.10 ms vs 31.0 ms)`;
 * a rate or CPU ratio that is not a finding reads `no difference detected in req/s (95% CI 0.95–1.08)`.
 * Without one (older callers): `cached / uncached = 6.3x req/s, 0.16x CPU per request (p99 …)`.
 */
export function ratioLine(variant: VariantResult, base: VariantResult, unit: string, comparison?: Comparison, noiseFloor?: NoiseFloor): string {
  const p99 = `(p99 ${fmt(variant.p99Ms)} ms vs ${fmt(base.p99Ms)} ms)`;
  if (!comparison) {
    const cpuV = variant.attribution?.serverCpuUsPerRequest;
    const cpuB = base.attribution?.serverCpuUsPerRequest;
    const cpu = cpuV !== undefined && cpuB !== undefined && cpuB > 0 ? `, ${formatRatio(cpuV / cpuB)} CPU per request` : '';
    return `${variant.name} / ${base.name} = ${formatRatio(variant.rate / base.rate)} ${unit}${cpu} ${p99}`;
  }
  const part = (estimate: { ratio: number; ci?: Interval; pairs?: number }, what: string, floor: Interval | undefined, first: boolean): string => {
    if (!estimate.ci) return `${fmtRatio(estimate.ratio)}x ${what} (no interval: ${estimate.pairs ? 'one round pair' : 'no per-round figures'})`;
    const ci = formatInterval(estimate.ci, first ? '95% CI ' : '');
    return isFinding(estimate.ci, floor) ? `${fmtRatio(estimate.ratio)}x ${what} (${ci})` : `no difference detected in ${what} (${ci})`;
  };
  const rate = part(comparison.rate, unit, noiseFloor?.rate, true);
  const cpu = comparison.cpuPerRequest ? `, ${part(comparison.cpuPerRequest, 'CPU per request', noiseFloor?.cpu, false)}` : '';
  return `${variant.name} / ${base.name} = ${rate}${cpu} ${p99}`;
}

/** A ratio is a finding when its interval excludes 1 and lies outside the run's A/A interval. */
export function isFinding(ci: Interval, noiseFloor?: Interval): boolean {
  return intervalDirection(ci) !== 0 && (noiseFloor === undefined || !intervalsOverlap(ci, noiseFloor));
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

/** A variant's per-round rates and server CPU µs per request (undefined where a round has none). */
export function roundSeries(v: VariantResult): { rates: (number | undefined)[]; cpu: (number | undefined)[] } {
  const rounds = v.rounds as { rate?: unknown; cpuPerRequest?: unknown }[];
  const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  return { rates: rounds.map((r) => num(r?.rate)), cpu: rounds.map((r) => num(r?.cpuPerRequest)) };
}

/** True when `v` is the A/A row of `base`: flagged, or named `<base> (A/A)` as the harness names it. */
export function isAa(v: VariantResult, base: VariantResult): boolean {
  return v.aa === true || v.name === `${base.name} (A/A)`;
}

/**
 * The ratios of each pair with their intervals, the A/A noise floor, and each ratio's status.
 * Point estimates are geometric means of the per-round-pair ratios (the table's rates are
 * totals over all rounds, so the two may differ in the last digit); without per-round rates,
 * the ratio of the totals and no interval.
 */
export function compare(variantPairs: readonly [VariantResult, VariantResult][], smoke: boolean): { comparisons: Comparison[]; noiseFloor: NoiseFloor } {
  const estimates = variantPairs.map(([v, b]) => {
    const sv = roundSeries(v);
    const sb = roundSeries(b);
    // A smoke run computes no interval (its line says a full run would): point ratios only.
    const point = <T extends { ci?: Interval }>(e: T | undefined): T | undefined => (e && smoke ? { ...e, ci: undefined } : e);
    const rate = point(pairedRatio(sv.rates, sb.rates)) ?? { ratio: v.rate / b.rate, pairs: 0 };
    const cpuV = v.attribution?.serverCpuUsPerRequest;
    const cpuB = b.attribution?.serverCpuUsPerRequest;
    const cpu = point(pairedRatio(sv.cpu, sb.cpu)) ?? (cpuV !== undefined && cpuB !== undefined && cpuB > 0 ? { ratio: cpuV / cpuB, pairs: 0 } : undefined);
    return { v, b, rate, cpu, aa: isAa(v, b) };
  });
  const aa = smoke ? undefined : estimates.find((e) => e.aa);
  const noiseFloor: NoiseFloor = { rate: aa?.rate.ci, cpu: aa?.cpu?.ci };
  const comparisons = estimates.map(({ v, b, rate, cpu, aa: isAaRow }): Comparison => ({
    variant: v.name,
    baseline: b.name,
    rate,
    ...(cpu ? { cpuPerRequest: cpu } : {}),
    aa: isAaRow,
    // The A/A row is judged against 1 alone: an A/A interval that excludes 1 is this run's drift.
    status: smoke ? 'smoke' : rate.ci && isFinding(rate.ci, isAaRow ? undefined : noiseFloor.rate) ? 'finding' : 'no difference',
    verdict: smoke ? { kind: 'smoke', text: 'smoke run: no verdict' } : { kind: 'no reference', text: 'no reference' },
  }));
  return { comparisons, noiseFloor };
}

/** The run's conditions from the bench's own facts and the variants' attribution. */
export function runConditions(variants: readonly VariantResult[], given: ReportNotes['conditions'] = {}): RunConditions {
  const shares = variants.map((v) => v.attribution?.generatorCoreShare).filter((x): x is number => x !== undefined);
  const share = shares.length ? Math.max(...shares) : undefined;
  return {
    loadAverage: given.loadAverage ?? loadAtStart,
    pinned: given.pinned ?? variants.some((v) => v.attribution?.pinned === true),
    ...(share === undefined ? {} : { generatorCoreShare: share, generatorSaturated: share >= saturatedShare }),
  };
}

/** The header lines that say whether this run can be trusted. */
export function conditionLines(conditions: RunConditions, variants: readonly VariantResult[]): string[] {
  const cores = machineCores();
  const [one, five] = conditions.loadAverage;
  const perCore = one / cores;
  const lines = [`conditions: load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min) before start on ${cores} cores; servers pinned: ${conditions.pinned ? 'yes' : 'no'}${
    conditions.generatorCoreShare === undefined ? '' : `; load generator at up to ${Math.round(conditions.generatorCoreShare * 100)}% of its core`}`];
  if (perCore > busyLoadPerCore) lines.push(`warning: the machine was busy before start (load ${perCore.toFixed(2)} per core, above ${busyLoadPerCore}): expect wide intervals`);
  if (conditions.generatorSaturated) {
    const which = variants.filter((v) => (v.attribution?.generatorCoreShare ?? 0) >= saturatedShare).map((v) => v.name);
    lines.push(`generator saturated (${which.join(', ')}): compare CPU per request, not req/s`);
  }
  return lines;
}

/** Reference file, this bench's entry in it, and the file's path for printing. */
function referenceEntry(title: string): { path?: string; file?: ReturnType<typeof readReference>; ratios?: ReferenceRatio[] } {
  const path = referencePath();
  const file = readReference(path);
  return { path, file, ratios: file?.benches[title]?.ratios };
}

/**
 * Fills in each comparison's verdict against the reference on disk, then, with --save-reference,
 * replaces that reference with this run (so a re-measure also says whether it reproduced the run
 * it replaces). Returns the lines to print.
 */
function reproduce(lesson: string, title: string, options: BenchOptions, comparisons: Comparison[], date: string): string[] {
  if (comparisons.length === 0) return [];
  const lines = judge(lesson, title, options, comparisons);
  if (!options.saveReference) return lines;
  const ratios: ReferenceRatio[] = comparisons.map((c) => ({
    variant: c.variant, baseline: c.baseline, rate: c.rate.ratio, ...(c.rate.ci ? { rateCi: c.rate.ci } : {}),
    ...(c.cpuPerRequest ? { cpuPerRequest: c.cpuPerRequest.ratio, ...(c.cpuPerRequest.ci ? { cpuCi: c.cpuPerRequest.ci } : {}) } : {}),
    pairs: c.rate.pairs ?? 0,
  }));
  const path = saveReference(title, ratios, { date, node: process.version, cores: machineCores() });
  return path ? [...lines, `reference saved: ${repoPath(path)}${lines.some((l) => l.startsWith('reproduce: against')) ? ' (it replaces the reference judged above)' : ''}`] : lines;
}

/** Each comparison's verdict against the reference on disk, recorded for bench:all; the lines to print. */
function judge(lesson: string, title: string, options: BenchOptions, comparisons: Comparison[]): string[] {
  const key = (c: { variant: string; baseline: string }): string => `${c.variant} / ${c.baseline}`;
  const { path, file, ratios } = referenceEntry(title);
  const where = path ? repoPath(path) : undefined;
  for (const c of comparisons) {
    const ref = ratios?.find((r) => r.variant === c.variant && r.baseline === c.baseline);
    if (ref && file) c.verdict.reference = { ratio: ref.rate, ...(ref.rateCi ? { ci: ref.rateCi } : {}), node: referenceFacts(file, title).node, date: referenceFacts(file, title).date };
  }
  if (options.short) {
    // A smoke run judges nothing: it says what a full run would compare.
    for (const c of comparisons) record(lesson, title, c, true);
    return [];
  }
  if (!file || !ratios) {
    for (const c of comparisons) record(lesson, title, c, false);
    return [`reproduce: no reference for "${title}"${where ? ` in ${where}` : ''} (write one with --save-reference)`];
  }
  const rows = [['ratio', 'this run (95% CI)', 'reference (95% CI)', 'verdict']];
  const notes = new Set<string>();
  for (const c of comparisons) {
    const ref = c.verdict.reference;
    const v = verdict({ ratio: c.rate.ratio, ci: c.rate.ci, pairs: c.rate.pairs ?? 0, node: process.version }, ref);
    c.verdict.kind = v.kind;
    c.verdict.text = v.text;
    const show = (e: { ratio: number; ci?: Interval }): string => `${fmtRatio(e.ratio)}x${e.ci ? ` (${formatInterval(e.ci)})` : ''}`;
    rows.push([key(c), show(c.rate), ref ? show(ref) : '–', v.reason ?? v.text]);
    for (const note of v.notes ?? []) notes.add(note);
    record(lesson, title, c, false);
  }
  // The table right-aligns every column but the first: keep the verdicts left-aligned.
  const width = Math.max(...rows.map((r) => r[3]!.length));
  for (const r of rows) r[3] = r[3]!.padEnd(width);
  return [
    `reproduce: against ${where} (${referenceFacts(file, title).date.slice(0, 10)}, Node ${referenceFacts(file, title).node}, ${referenceFacts(file, title).cores} cores): reproduced = same direction and overlapping 95% intervals`,
    ...table(rows).split('\n').map((l) => `  ${l.trimEnd()}`),
    ...(notes.size ? [`  note: ${[...notes].join('; ')}`] : []),
  ];
}

function record(lesson: string, title: string, c: Comparison, smoke: boolean): void {
  const ref = c.verdict.reference;
  recordVerdict({
    lesson, title, ratio: `${c.variant} / ${c.baseline}`, rate: c.rate.ratio, ...(c.rate.ci ? { rateCi: c.rate.ci } : {}),
    ...(c.cpuPerRequest ? { cpuPerRequest: c.cpuPerRequest.ratio, ...(c.cpuPerRequest.ci ? { cpuCi: c.cpuPerRequest.ci } : {}) } : {}),
    status: c.status, verdict: c.verdict.kind, aa: c.aa, ...(ref ? { reference: { rate: ref.ratio, ...(ref.ci ? { rateCi: ref.ci } : {}) } } : {}), smoke,
  });
}

/**
 * A smoke run's line for one ratio: what it measured and what a full run would do with it,
 * e.g. `smoke: cached / uncached measured 1.8x req/s, 0.55x CPU per request (a full run
 * computes its CI and compares it with the reference 6.3x)`. No finding, no verdict.
 */
export function smokeLine(c: Comparison, unit: string): string {
  const ref = c.verdict.reference;
  const cpu = c.cpuPerRequest ? `, ${formatRatio(c.cpuPerRequest.ratio)} CPU per request` : '';
  return `smoke: ${c.variant} / ${c.baseline} measured ${formatRatio(c.rate.ratio)} ${unit}${cpu} (a full run computes its CI and compares it with ${ref ? `the reference ${formatRatio(ref.ratio)}` : 'a reference, when the lesson has one'})`;
}

/**
 * The ratio line of each pair (in pair order) and the lines to print after the table: the A/A
 * line first as the noise floor, then the others, then warnings.
 */
function comparisonLines(variantPairs: readonly [VariantResult, VariantResult][], comparisons: readonly Comparison[], noiseFloor: NoiseFloor, unit: string, smoke: boolean): { ratios: string[]; printed: string[] } {
  if (smoke) {
    const ratios = comparisons.map((c) => smokeLine(c, unit));
    return { ratios, printed: ratios };
  }
  const ratios = comparisons.map((c, i) => ratioLine(variantPairs[i]![0], variantPairs[i]![1], unit, c, c.aa ? undefined : noiseFloor));
  const printed: string[] = [];
  comparisons.forEach((c, i) => {
    if (!c.aa) return;
    printed.push(`noise floor (A/A): ${ratios[i]}`);
    if (c.rate.ci && intervalDirection(c.rate.ci) !== 0) printed.push('warning: the A/A interval excludes 1: this run drifted (heat, other load, order); a finding must lie beyond it');
  });
  comparisons.forEach((c, i) => { if (!c.aa) printed.push(ratios[i]!); });
  const pairsSeen = Math.min(...comparisons.map((c) => c.rate.pairs ?? 0));
  if (comparisons.length && pairsSeen < minReliablePairs) {
    printed.push(`warning: ${pairsSeen} round pair(s): with fewer than ${minReliablePairs} the intervals are wide and unreliable`);
  }
  return { ratios, printed };
}

/**
 * Prints conditions, table, ratio lines (with 95% intervals, A/A as the noise floor) and
 * reproduce verdicts, writes `results/<lesson>/<title>-<time>.json` (unless `--no-save`), and
 * returns the report. A --short run prints no finding and no verdict.
 */
export function report(
  lesson: string, title: string, unit: string, options: BenchOptions, variants: VariantResult[],
  /** Connections per variant, when they differ from `options.connections` (HTTP benches). */
  connections?: Record<string, number>,
  notes: ReportNotes = {},
): BenchReport {
  const date = new Date().toISOString();
  const smoke = options.short;
  const variantPairs = pairs(variants);
  const { comparisons, noiseFloor } = compare(variantPairs, smoke);
  const conditions = runConditions(variants, notes.conditions);
  const cpu = (process.env.BENCH_CPU_LABEL ?? '').trim();
  console.log(`\n${lesson} · ${title} · ${environmentLine()}`);
  const counts = [...new Set(Object.values(connections ?? {}))];
  const connectionText = counts.length > 1
    ? `, connections per variant: ${Object.entries(connections!).map(([name, n]) => `${name} ${n}`).join(', ')}`
    : unit === 'req/s' ? `, ${counts[0] ?? options.connections} connections` : '';
  console.log(`${options.rounds} round(s) × ${options.duration} s per variant after ${options.warmup} s warm-up, alternating order (ABBA)${connectionText}`);
  if (smoke) console.log('SMOKE RUN (--short): shows that the bench works; its numbers are not a measurement, and it states no finding and no verdict');
  const versionNote = nodeVersionNote();
  if (versionNote) console.log(versionNote);
  if (notes.isolation) console.log(notes.isolation);
  for (const line of conditionLines(conditions, variants)) console.log(line);
  for (const line of notes.header ?? []) console.log(line);
  console.log(table(tableRows(unit, variants)));
  const reproduced = reproduce(lesson, title, options, comparisons, date);
  const { ratios, printed } = comparisonLines(variantPairs, comparisons, noiseFloor, unit, smoke);
  for (const line of printed) console.log(line);
  for (const line of notes.after ?? []) console.log(line);
  for (const line of reproduced) console.log(line);

  const result: BenchReport = {
    lesson, title, unit, date, node: process.version, cores: machineCores(), cpu,
    options, variants, ratios, comparisons, smoke,
    ...(noiseFloor.rate && !smoke ? { noiseFloor: noiseFloor.rate } : {}),
    conditions,
  };
  if (!options.noSave) {
    const dir = join(repoRoot, 'results', lesson);
    mkdirSync(dir, { recursive: true });
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    writeFileSync(join(dir, `${slug}-${result.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  }
  return result;
}
