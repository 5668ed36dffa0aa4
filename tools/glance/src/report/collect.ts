/**
 * Everything the results page shows, read from disk: the latest result of each bench (per
 * lesson and title) under results/, results/summary.json, results/scoreboard.json, every
 * lesson's bench*.reference.json, and the SVG charts lessons 05 and 08 write. Tolerant by
 * design: a result written before the harness gained `comparisons`, a file that does not parse,
 * a lesson never run: each shows what exists, and the page says what is missing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Scoreboard } from '../scoreboard/types.ts';

export interface Interval { low: number; high: number }

/** One ratio as the page plots it: this run's point and interval beside the reference's. */
export interface RatioPoint {
  variant: string;
  baseline: string;
  ratio: number;
  ci?: Interval;
  cpuRatio?: number;
  cpuCi?: Interval;
  aa: boolean;
  status?: string;
  /** The reproduce verdict's kind; 'older result' for a result written before verdicts were saved. */
  verdict: string;
  verdictText?: string;
  reference?: { ratio: number; ci?: Interval; node?: string; date?: string };
}

export interface VariantView {
  name: string;
  rate?: number;
  percentiles?: { percentile: number; ms: number }[];
  serverCpuUsPerRequest?: number;
  perProcess?: { role: string; command: string; processes: number; cpuUsPerRequest: number }[];
}

export interface RunView {
  title: string;
  file: string;
  date?: string;
  node?: string;
  cores?: number;
  cpu?: string;
  unit?: string;
  smoke: boolean;
  loadAverage?: number[];
  noiseFloor?: Interval;
  /** False for results written before the harness saved comparisons. */
  hasComparisons: boolean;
  ratios: RatioPoint[];
  variants: VariantView[];
  ratioLines: string[];
}

export interface ReferenceView {
  file: string;
  date?: string;
  node?: string;
  cores?: number;
  benches: { title: string; date?: string; node?: string; ratios: { variant: string; baseline: string; rate: number; rateCi?: Interval; cpuPerRequest?: number; cpuCi?: Interval }[] }[];
}

export interface PictureView { caption: string; svg: string; source: 'this machine\'s last run' | 'reference picture committed with the lesson' }

export interface LessonView {
  id: string;
  dir: string;
  title: string;
  runs: RunView[];
  references: ReferenceView[];
  pictures: PictureView[];
  problems: string[];
}

export interface PageData {
  generated: string;
  scoreboard?: Scoreboard;
  summary?: {
    date?: string; node?: string; cores?: number; smoke?: boolean; seconds?: number;
    lessons?: { lesson: string; status: string; seconds: number }[];
    ratios?: { lesson: string; title: string; ratio: string; rate: number; rateCi?: Interval; status: string; verdict: string; reference?: { rate: number; rateCi?: Interval } }[];
  };
  lessons: LessonView[];
  problems: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const interval = (v: unknown): Interval | undefined => (isObject(v) && num(v.low) !== undefined && num(v.high) !== undefined ? { low: v.low as number, high: v.high as number } : undefined);

function readJson(path: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`${basename(path)}: not readable JSON (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

/** A BenchReport (any age) as the page shows it; undefined when it is not one. */
export function runView(raw: unknown, file: string): RunView | undefined {
  if (!isObject(raw) || typeof raw.title !== 'string' || !Array.isArray(raw.variants)) return undefined;
  const variants: VariantView[] = raw.variants.filter(isObject).map((v) => {
    const attribution = isObject(v.attribution) ? v.attribution : {};
    return {
      name: str(v.name) ?? '?',
      rate: num(v.rate),
      percentiles: Array.isArray(v.percentiles)
        ? v.percentiles.filter(isObject).filter((p) => num(p.percentile) !== undefined && num(p.ms) !== undefined).map((p) => ({ percentile: p.percentile as number, ms: p.ms as number }))
        // Older results: the percentiles the variant line carried.
        : [[50, v.p50Ms], [99, v.p99Ms], [99.9, v.p999Ms]].filter(([, ms]) => num(ms) !== undefined && (ms as number) > 0).map(([percentile, ms]) => ({ percentile: percentile as number, ms: ms as number })),
      serverCpuUsPerRequest: num(attribution.serverCpuUsPerRequest),
      perProcess: Array.isArray(attribution.perProcess)
        ? attribution.perProcess.filter(isObject).map((p) => ({ role: str(p.role) ?? '?', command: str(p.command) ?? '?', processes: num(p.processes) ?? 1, cpuUsPerRequest: num(p.cpuUsPerRequest) ?? 0 }))
        : undefined,
    };
  });
  const hasComparisons = Array.isArray(raw.comparisons);
  let ratios: RatioPoint[];
  if (hasComparisons) {
    ratios = (raw.comparisons as unknown[]).filter(isObject).filter((c) => isObject(c.rate) && num(c.rate.ratio) !== undefined).map((c) => {
      const rate = c.rate as Json;
      const cpu = isObject(c.cpuPerRequest) ? c.cpuPerRequest : undefined;
      const verdict = isObject(c.verdict) ? c.verdict : {};
      const reference = isObject(verdict.reference) && num(verdict.reference.ratio) !== undefined ? verdict.reference : undefined;
      return {
        variant: str(c.variant) ?? '?', baseline: str(c.baseline) ?? '?',
        ratio: rate.ratio as number, ci: interval(rate.ci),
        cpuRatio: cpu ? num(cpu.ratio) : undefined, cpuCi: cpu ? interval(cpu.ci) : undefined,
        aa: c.aa === true, status: str(c.status),
        verdict: str(verdict.kind) ?? 'no reference', verdictText: str(verdict.text),
        reference: reference ? { ratio: reference.ratio as number, ci: interval(reference.ci), node: str(reference.node), date: str(reference.date) } : undefined,
      };
    });
  } else {
    // Written before the harness saved comparisons: the ratio of rates, no interval, no verdict.
    // Pairs as the harness's pairs() makes them: each variant with its `baseline`, or, when no
    // variant names one, every variant with the first.
    const byName = new Map(variants.map((v) => [v.name, v]));
    const raws = (raw.variants as unknown[]).filter(isObject);
    const explicit = raws.some((v) => str(v.baseline));
    ratios = raws.flatMap((v, i) => {
      const baseName = explicit ? str(v.baseline) : i > 0 ? variants[0]?.name : undefined;
      const baseline = baseName ? byName.get(baseName) : undefined;
      const rate = num(v.rate);
      if (!baseline?.rate || rate === undefined) return [];
      const name = str(v.name) ?? '?';
      return [{ variant: name, baseline: baseline.name, ratio: rate / baseline.rate, aa: /A\/A/.test(name), verdict: 'older result' }];
    });
  }
  const conditions = isObject(raw.conditions) ? raw.conditions : {};
  return {
    title: raw.title, file,
    date: str(raw.date), node: str(raw.node), cores: num(raw.cores), cpu: str(raw.cpu) || undefined, unit: str(raw.unit),
    smoke: raw.smoke === true || (isObject(raw.options) && raw.options.short === true),
    loadAverage: Array.isArray(conditions.loadAverage) ? conditions.loadAverage.filter((n): n is number => typeof n === 'number') : undefined,
    noiseFloor: interval(raw.noiseFloor),
    hasComparisons, ratios, variants,
    ratioLines: Array.isArray(raw.ratios) ? raw.ratios.filter((l): l is string => typeof l === 'string') : [],
  };
}

/** A bench*.reference.json, older files (no intervals) included. */
export function referenceView(raw: unknown, file: string): ReferenceView | undefined {
  if (!isObject(raw) || !isObject(raw.benches)) return undefined;
  return {
    file, date: str(raw.date), node: str(raw.node), cores: num(raw.cores),
    benches: Object.entries(raw.benches).filter(([, b]) => isObject(b) && Array.isArray(b.ratios)).map(([title, b]) => ({
      title,
      // Newer files stamp each bench with its own run (a lesson's benches may come from different runs).
      date: str((b as Json).date), node: str((b as Json).node),
      ratios: ((b as Json).ratios as unknown[]).filter(isObject).filter((r) => num(r.rate) !== undefined).map((r) => ({
        variant: str(r.variant) ?? '?', baseline: str(r.baseline) ?? '?', rate: r.rate as number, rateCi: interval(r.rateCi),
        cpuPerRequest: num(r.cpuPerRequest), cpuCi: interval(r.cpuCi),
      })),
    })),
  };
}

/** Fills each ratio's reference from the lesson's reference file where the run did not carry one. */
function attachReferences(runs: RunView[], references: ReferenceView[]): void {
  for (const run of runs) {
    for (const point of run.ratios) {
      if (point.reference) continue;
      for (const ref of references) {
        const bench = ref.benches.find((b) => b.title === run.title);
        const r = bench?.ratios.find((x) => x.variant === point.variant && x.baseline === point.baseline);
        if (r) { point.reference = { ratio: r.rate, ci: r.rateCi, node: bench?.node ?? ref.node, date: bench?.date ?? ref.date }; break; }
      }
    }
  }
}

function svgPicture(path: string, caption: string, source: PictureView['source']): PictureView | undefined {
  if (!existsSync(path)) return undefined;
  const svg = readFileSync(path, 'utf8');
  return svg.includes('<svg') ? { caption, svg, source } : undefined;
}

/** The SVG charts two lessons draw: this machine's last one, else the one committed beside the README. */
const pictures: Record<string, { file: string; caption: string }> = {
  'lesson-05': { file: 'latency-vs-offered-load.svg', caption: 'latency against offered load (open loop; `npm run bench` in lessons/05-bench)' },
  'lesson-08': { file: 'memory-chart.svg', caption: 'heap used over a load run, leaky vs fixed (`npm run chart` in lessons/08-memory)' },
};

/** Reads the page's data from a repository root (`results/` and `lessons/` under it). */
export function collect(root: string, resultsDir = join(root, 'results')): PageData {
  const problems: string[] = [];
  const lessonsDir = join(root, 'lessons');
  const lessonDirs = existsSync(lessonsDir) ? readdirSync(lessonsDir).filter((d) => /^\d\d-/.test(d) && existsSync(join(lessonsDir, d, 'package.json'))).sort() : [];
  const lessons: LessonView[] = lessonDirs.map((dir) => {
    const id = str((readJson(join(lessonsDir, dir, 'package.json'), problems) as Json | undefined)?.name) ?? `lesson-${dir.slice(0, 2)}`;
    const readme = join(lessonsDir, dir, 'README.md');
    const heading = existsSync(readme) ? /^#\s+(.+)$/m.exec(readFileSync(readme, 'utf8'))?.[1]?.trim() : undefined;
    const lessonProblems: string[] = [];
    const references = readdirSync(join(lessonsDir, dir)).filter((f) => /^bench.*\.reference\.json$/.test(f)).sort()
      .map((f) => referenceView(readJson(join(lessonsDir, dir, f), lessonProblems), `lessons/${dir}/${f}`))
      .filter((r): r is ReferenceView => r !== undefined);
    // The latest result per bench title (several benches may write into one lesson's folder).
    const runDir = join(resultsDir, id);
    const latest = new Map<string, RunView>();
    if (existsSync(runDir)) {
      for (const f of readdirSync(runDir).filter((f) => f.endsWith('.json')).sort()) {
        const path = join(runDir, f);
        if (!statSync(path).isFile()) continue;
        const run = runView(readJson(path, lessonProblems), `results/${id}/${f}`);
        if (!run) continue;
        const before = latest.get(run.title);
        if (!before || (run.date ?? '') >= (before.date ?? '')) latest.set(run.title, run);
      }
    }
    const runs = [...latest.values()].sort((a, b) => a.title.localeCompare(b.title));
    attachReferences(runs, references);
    const picture = pictures[id];
    const shown = picture
      ? svgPicture(join(runDir, picture.file), picture.caption, 'this machine\'s last run') ?? svgPicture(join(lessonsDir, dir, picture.file), picture.caption, 'reference picture committed with the lesson')
      : undefined;
    return { id, dir, title: heading ?? id, runs, references, pictures: shown ? [shown] : [], problems: lessonProblems };
  });
  const optional = (name: string): unknown => (existsSync(join(resultsDir, name)) ? readJson(join(resultsDir, name), problems) : undefined);
  const scoreboard = optional('scoreboard.json');
  const summary = optional('summary.json');
  return {
    generated: new Date().toISOString(),
    scoreboard: isObject(scoreboard) && Array.isArray(scoreboard.cells) && Array.isArray(scoreboard.stages) && Array.isArray(scoreboard.workloads) ? (scoreboard as unknown as Scoreboard) : undefined,
    summary: isObject(summary) ? (summary as PageData['summary']) : undefined,
    lessons,
    problems,
  };
}
