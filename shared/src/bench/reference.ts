/**
 * "Did you reproduce it?": each lesson keeps the ratios of its README's run in
 * `bench.reference.json` beside its bench.ts; every run prints its own ratio beside the
 * reference with a verdict. `--save-reference` writes the file from the current run.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

/** The ratio a reader's run is compared on: variant rate / baseline rate. */
export interface ReferenceRatio {
  variant: string;
  baseline: string;
  /** Rate ratio (req/s or ops/s). */
  rate: number;
  /** Server CPU per request ratio, when the bench measured it. */
  cpuPerRequest?: number;
  /** The two variants' rounds overlapped in the reference run. */
  withinNoise: boolean;
}

/** The file: one entry per bench title (a lesson's bench may run several). */
export interface ReferenceFile {
  date: string;
  node: string;
  cores: number;
  /** Relative tolerance a reproduced ratio may differ by (0.3 = a factor of 1.3 either way). */
  tolerance: number;
  benches: Record<string, { ratios: ReferenceRatio[] }>;
}

/** A ratio within a factor of 1.3 of the reference counts as reproduced. */
export const defaultTolerance = 0.3;
/** Ratios within this factor of 1 have no direction to agree on. */
const evenBand = 1.1;

/** What a reader learns from one ratio. */
export type VerdictKind = 'reproduced' | 'size differs' | 'NOT reproduced' | 'no reference';

export interface Verdict {
  kind: VerdictKind;
  text: string;
}

/** 1 faster, -1 slower, 0 about even (within a factor of 1.1). */
export const direction = (ratio: number): -1 | 0 | 1 => (ratio >= evenBand ? 1 : ratio <= 1 / evenBand ? -1 : 0);

/**
 * Compares `mine` with the reference ratio: opposite directions → not reproduced; otherwise
 * within `tolerance` (a factor of 1 + tolerance either way) → reproduced; farther → the size
 * differs (the effect may be there, but not as large, or larger).
 */
export function verdict(mine: number, reference: number | undefined, tolerance = defaultTolerance): Verdict {
  if (reference === undefined || !Number.isFinite(reference) || !Number.isFinite(mine) || mine <= 0 || reference <= 0) {
    return { kind: 'no reference', text: 'no reference' };
  }
  const pct = Math.round(tolerance * 100);
  if (direction(mine) * direction(reference) === -1) return { kind: 'NOT reproduced', text: 'NOT reproduced (opposite direction)' };
  if (Math.abs(Math.log(mine / reference)) <= Math.log(1 + tolerance)) return { kind: 'reproduced', text: `reproduced (within ±${pct}%)` };
  return { kind: 'size differs', text: `size differs (beyond ±${pct}%)` };
}

/**
 * `bench.ts` → `<dir>/bench.reference.json`, from the script this process runs; undefined
 * when that is not a bench script (a test runner, a REPL).
 */
export function referencePath(script = process.argv[1]): string | undefined {
  if (!script || !/^bench[\w-]*\.[cm]?[jt]s$/.test(basename(script))) return undefined;
  const full = resolve(script);
  return join(dirname(full), `${basename(full, extname(full))}.reference.json`);
}

/** The reference file, or undefined when there is none (or it is unreadable). */
export function readReference(path = referencePath()): ReferenceFile | undefined {
  if (!path || !existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ReferenceFile;
  } catch {
    return undefined;
  }
}

/** Writes (or updates) the entry of `title`, stamping date, Node and cores of this run. */
export function saveReference(title: string, ratios: ReferenceRatio[], facts: { date: string; node: string; cores: number }, path = referencePath()): string | undefined {
  if (!path) return undefined;
  const current = readReference(path);
  const file: ReferenceFile = {
    date: facts.date, node: facts.node, cores: facts.cores, tolerance: current?.tolerance ?? defaultTolerance,
    benches: { ...(current?.benches ?? {}), [title]: { ratios } },
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}

/** One verdict, as `npm run bench:all` collects them (JSON lines in $COURSE_BENCH_VERDICTS). */
export interface VerdictRecord {
  lesson: string;
  title: string;
  ratio: string;
  mine: number;
  reference?: number;
  verdict: VerdictKind;
  smoke: boolean;
}

/** Appends a verdict for bench:all, when it asked for them. */
export function recordVerdict(record: VerdictRecord): void {
  const file = process.env.COURSE_BENCH_VERDICTS;
  if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
}
