/**
 * "Did you reproduce it?": each lesson keeps the ratios of its README's run, with their 95%
 * intervals, in `bench.reference.json` beside its bench.ts; every full run prints its own
 * ratio and interval beside the reference with a verdict. `--save-reference` writes the file
 * from the current run.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { intervalDirection, intervalsOverlap, logWidth, roundsFor, type Interval } from './confidence.ts';

/** The ratio a reader's run is compared on: variant rate / baseline rate. */
export interface ReferenceRatio {
  variant: string;
  baseline: string;
  /** Rate ratio (req/s or ops/s). */
  rate: number;
  /** Its 95% CI (files written before intervals existed have none). */
  rateCi?: Interval;
  /** Server CPU per request ratio, when the bench measured it, and its 95% CI. */
  cpuPerRequest?: number;
  cpuCi?: Interval;
  /** Round pairs the interval came from. */
  pairs?: number;
  /** Older files: the two variants' rounds overlapped in the reference run. */
  withinNoise?: boolean;
}

/** The file: one entry per bench title (a lesson's bench may run several). */
export interface ReferenceFile {
  date: string;
  node: string;
  cores: number;
  /** Older files: the relative tolerance of the point comparison they were judged with. */
  tolerance?: number;
  /** Per bench title: its ratios and, in newer files, the run each was saved from (a lesson's benches may be saved on different runs). */
  benches: Record<string, { ratios: ReferenceRatio[]; date?: string; node?: string; cores?: number }>;
}

/** Date, Node and cores of the run a bench's entry was saved from (the file's, for older files). */
export function referenceFacts(file: ReferenceFile, title: string): { date: string; node: string; cores: number } {
  const entry = file.benches[title];
  return { date: entry?.date ?? file.date, node: entry?.node ?? file.node, cores: entry?.cores ?? file.cores };
}

/** Older callers: the tolerance of the point comparison (no longer used for verdicts). */
export const defaultTolerance = 0.3;
/** A reference without an interval has a direction when it is beyond this factor of 1. */
const evenBand = 1.1;
/** The narrowest interval a verdict asks a reader for: ±5% (log width of 1.1x). */
const minTargetWidth = Math.log(1.1);

/** What a reader learns from one ratio. `smoke`: a --short run, which gives none. */
export type VerdictKind = 'reproduced' | 'size differs' | 'not reproduced' | 'inconclusive' | 'no reference' | 'smoke';

export interface Verdict {
  kind: VerdictKind;
  /** The verdict with its reason and notes, e.g. `reproduced (same direction) (reference has no interval)`. */
  text: string;
  /** `text` without the notes, for a table whose notes are printed once. */
  reason?: string;
  /** Caveats: the reference has no interval; another Node line, direction judged only. */
  notes?: string[];
  /** Inconclusive: rounds that would give an interval narrow enough. */
  roundsNeeded?: number;
}

/** The reader's ratio: point, interval, the pairs behind it, the running Node. */
export interface ReaderEstimate { ratio: number; ci?: Interval; pairs: number; node: string }
/** The reference's ratio: point, interval if the file has one, its Node. */
export interface ReferenceEstimate { ratio: number; ci?: Interval; node: string }

/** 1 faster, -1 slower, 0 about even (within a factor of 1.1): for a ratio without interval. */
export const direction = (ratio: number): -1 | 0 | 1 => (ratio >= evenBand ? 1 : ratio <= 1 / evenBand ? -1 : 0);

const major = (node: string): string => node.replace(/^v/, '').split('.')[0]!;

/**
 * The verdict on a reader's interval against the reference's:
 * - not reproduced: the directions (an interval above or below 1) are opposite;
 * - inconclusive: the reader's interval contains 1 where the reference's excludes it, or is
 *   more than twice as wide as the reference's, and still overlaps it (more rounds decide:
 *   the width falls as 1/sqrt(rounds));
 * - reproduced: same direction (or both no difference) and the intervals overlap;
 * - size differs: same direction, no overlap.
 * When the Node majors differ, sizes are not compared (they move between lines): only the
 * direction is judged. A reference without an interval counts as a point.
 */
export function verdict(mine: ReaderEstimate, reference: ReferenceEstimate | undefined): Verdict {
  if (!reference || !(reference.ratio > 0) || !Number.isFinite(reference.ratio) || !(mine.ratio > 0)) {
    return { kind: 'no reference', text: 'no reference' };
  }
  const notes: string[] = [];
  if (!reference.ci) notes.push('reference has no interval');
  const sameLine = major(mine.node) === major(reference.node);
  if (!sameLine) notes.push(`Node ${major(mine.node)} vs the reference's Node ${major(reference.node)}: direction judged only`);
  const say = (kind: VerdictKind, text: string, roundsNeeded?: number): Verdict => ({
    kind, text: `${text}${notes.length ? ` (${notes.join('; ')})` : ''}`, reason: text, notes, ...(roundsNeeded === undefined ? {} : { roundsNeeded }),
  });
  const refCi: Interval = reference.ci ?? { low: reference.ratio, high: reference.ratio };
  const refDir = reference.ci ? intervalDirection(reference.ci) : direction(reference.ratio);
  const effect = Math.abs(Math.log(reference.ratio));
  if (!mine.ci) return say('inconclusive', 'inconclusive: one round pair, no interval (run at least 6 rounds)', 6);
  const myDir = intervalDirection(mine.ci);
  const width = logWidth(mine.ci);
  const overlap = intervalsOverlap(mine.ci, refCi);
  if (myDir !== 0 && refDir !== 0 && myDir !== refDir) return say('not reproduced', 'NOT reproduced (opposite direction)');
  if (myDir === 0 && refDir !== 0 && (overlap || !sameLine)) {
    const rounds = roundsFor(mine.pairs, width, Math.max(effect, minTargetWidth));
    return say('inconclusive', `inconclusive: this interval contains 1, the reference's does not; about ${rounds} rounds would decide`, rounds);
  }
  if (!sameLine) {
    return myDir === refDir
      ? say('reproduced', myDir === 0 ? 'reproduced (no difference, as in the reference)' : 'reproduced (same direction)')
      : say('size differs', 'size differs (a difference here, none in the reference)');
  }
  // Too wide to judge: for an effect, an interval wider than the effect itself (ln of the
  // reference's ratio) cannot tell its size from half or twice it; for "no difference" on both
  // sides, one more than twice as wide as the reference's (floor: a factor of 1.1). A tight
  // reference alone does not make a reader's narrower-than-the-effect interval inconclusive.
  const noDifference = myDir === 0 && refDir === 0;
  const target = noDifference
    ? 2 * Math.max(reference.ci ? logWidth(reference.ci) : minTargetWidth, minTargetWidth)
    : Math.max(effect, minTargetWidth);
  if (overlap && width > target) {
    const rounds = roundsFor(mine.pairs, width, target);
    const against = !noDifference ? 'the effect it judges' : reference.ci ? "twice the reference's interval" : 'a factor of 1.1 each way (the reference has no interval)';
    return say('inconclusive', `inconclusive: this interval is ${(width / target).toFixed(1)}x as wide as ${against}; about ${rounds} rounds would do`, rounds);
  }
  if (overlap) return say('reproduced', myDir === 0 && refDir === 0 ? 'reproduced (no difference, as in the reference)' : myDir === refDir ? 'reproduced (same direction, intervals overlap)' : 'reproduced (intervals overlap)');
  if (myDir === 0) return say('size differs', 'size differs (no difference detected here; the reference\'s size is excluded)');
  return say('size differs', myDir === refDir || refDir === 0 ? 'size differs (intervals do not overlap)' : 'size differs');
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
  // The other benches keep the run they came from: an older entry without its own stamp gets
  // the file's, before the file is restamped with this run.
  const kept = Object.fromEntries(Object.entries(current?.benches ?? {}).map(([t, b]) => [t, b.date ? b : { date: current!.date, node: current!.node, cores: current!.cores, ...b }]));
  const file: ReferenceFile = {
    date: facts.date, node: facts.node, cores: facts.cores,
    benches: { ...kept, [title]: { date: facts.date, node: facts.node, cores: facts.cores, ratios } },
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}

/** One ratio of a run, as `npm run bench:all` collects them (JSON lines in $COURSE_BENCH_VERDICTS). */
export interface VerdictRecord {
  lesson: string;
  title: string;
  /** "cached / uncached" */
  ratio: string;
  rate: number;
  rateCi?: Interval;
  cpuPerRequest?: number;
  cpuCi?: Interval;
  status: 'finding' | 'no difference' | 'smoke';
  verdict: VerdictKind;
  aa: boolean;
  reference?: { rate: number; rateCi?: Interval };
  smoke: boolean;
}

/** Appends a record for bench:all, when it asked for them. */
export function recordVerdict(record: VerdictRecord): void {
  const file = process.env.COURSE_BENCH_VERDICTS;
  if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
}
