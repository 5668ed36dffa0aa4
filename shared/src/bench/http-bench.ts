/**
 * HTTP benchmarks: autocannon, driven from code, against two or more variants in one run,
 * with attribution (server CPU of all its processes, generator CPU, event-loop utilisation,
 * GC), merged latency histograms, spread across rounds, optional CPU profiles.
 */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { attribute, finishRound, markRound, type RoundCost } from './attribution.ts';
import { parseBenchArgs, type BenchOptions } from './bench-args.ts';
import { mergeProfiles, selfTimes, startProfiles, stopProfiles, whatChanged, writeProfile, type CpuProfile } from './cpu-profile.ts';
import { canPin, cpuSplit, pinGenerator, pinServer } from './isolation.ts';
import { createLatencyHistogram, mergeHistograms, type LatencyHistogram } from './latency-histogram.ts';
import { probedPids } from './probe-client.ts';
import { snapshotTree } from './process-tree.ts';
import { createProgress } from './progress.ts';
import { fmt, pairs, percentilePoints, repoPath, report, table, type BenchReport, type VariantResult } from './report.ts';
import { spawnedServerPid } from './spawn-server.ts';
import { median, rangeOf } from './statistics.ts';

/** A server under test; `close` is called once at the end. */
export interface Target {
  url: string;
  close?: () => void | Promise<void>;
  /** The server's pid, when the target knows it (spawnServer's ServerProcess has it). */
  pid?: number;
  /**
   * Further processes that serve this target and are not descendants of `pid` (e.g. a pm2
   * daemon and its workers). Their descendants count too. Called at every round.
   */
  pids?: () => number[] | Promise<number[]>;
  /** false: never pin this server to one CPU (e.g. its worker threads need every core). */
  pin?: boolean;
}

/** One request, or the sequence autocannon cycles through per connection. */
export interface RequestSpec {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** A sequence of requests cycled per connection (overrides the single request). */
  requests?: autocannon.Request[];
}

/** One contender. Variants may share a target (same server, different routes). */
export interface HttpVariant {
  name: string;
  /** Starts (or returns) the server for this variant; called once per distinct function. */
  target: () => Target | Promise<Target>;
  request?: RequestSpec;
  /** Compare with this variant in the ratio line (default: the first variant). */
  baseline?: string;
  /**
   * Reads extra numbers after each round (e.g. event-loop delay from /metrics). `variant` is
   * the name of the variant that ran, which tells apart variants that share these functions
   * (the A/A row is a copy of the first variant).
   */
  collect?: (target: Target, variant: string) => Promise<Record<string, number>>;
  /** Runs before each round of this variant (e.g. reset /metrics); `variant` as for `collect`. */
  beforeRound?: (target: Target, variant: string) => Promise<void>;
  /** Connections for this variant, overriding --connections. */
  connections?: number;
  /**
   * A second load run in the same seconds as this variant's, warm-up and rounds (e.g. a cheap
   * endpoint measured while this one is loaded). Its rate and merged latency print as extra
   * columns headed by `label`; its errors count with the variant's; attribution still divides
   * by this variant's own requests.
   */
  alongside?: AlongsideLoad;
}

/** What {@link HttpVariant.alongside} runs. */
export interface AlongsideLoad {
  label: string;
  request: RequestSpec;
  connections: number;
  /** Requests per second over all its connections (autocannon's `overallRate`): the same offered load for every variant. */
  rate?: number;
}

/** What {@link benchHttp} takes. */
export interface HttpBenchSpec {
  lesson: string;
  title: string;
  variants: HttpVariant[];
  /** Defaults for this bench; flags override. */
  defaults?: Partial<BenchOptions>;
  /** Parsed options, if the caller parsed argv itself (for lesson-specific flags). */
  options?: BenchOptions;
}

/**
 * Runs autocannon once; resolves with its result. With `histogram`, every response's latency
 * (any status) is recorded there too, to the microsecond.
 */
export function runAutocannon(url: string, seconds: number, connections: number, request: RequestSpec = {}, histogram?: LatencyHistogram, overallRate?: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: new URL(request.path ?? '/', url).toString(),
        connections,
        duration: seconds,
        method: request.method ?? 'GET',
        headers: request.headers,
        body: request.body,
        requests: request.requests,
        ...(overallRate === undefined ? {} : { overallRate }),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (histogram) instance.on('response', (_client, _status, _bytes, responseTime: number) => histogram.recordMs(responseTime));
  });
}

/** The processes serving `target` now: its own pid (or spawnServer's record of it) and declared pids. */
async function rootsOf(target: Target): Promise<number[]> {
  const own = target.pid ?? spawnedServerPid(target.url);
  const declared = (await target.pids?.()) ?? [];
  return [...new Set([...(own === undefined ? [] : [own]), ...declared])];
}

interface MeasuredRound {
  requests: number;
  duration: number;
  rate: number;
  /** Server CPU µs per request in this round (paired with the baseline's for the CPU interval). */
  cpuPerRequest?: number;
  latency: autocannon.Result['latency'];
  errors: number;
  timeouts: number;
  non2xx: number;
  extra: Record<string, number>;
  cost: RoundCost;
  histogram: LatencyHistogram;
  alongside?: { requests: number; duration: number; histogram: LatencyHistogram };
}

/** The variant's alongside load for `seconds`, or nothing. */
function runAlongside(url: string, seconds: number, load: AlongsideLoad | undefined, histogram?: LatencyHistogram): Promise<autocannon.Result | undefined> {
  return load ? runAutocannon(url, seconds, load.connections, load.request, histogram, load.rate) : Promise.resolve(undefined);
}

/** The A/A variant: the first variant again, compared with itself, to show the noise floor. */
export function withAaVariant(variants: readonly HttpVariant[], options: Pick<BenchOptions, 'short'>): HttpVariant[] {
  if (options.short || variants.length === 0) return [...variants];
  const first = variants[0]!;
  // Without explicit baselines every variant is compared with the first: keep it so.
  const explicit = variants.some((v) => v.baseline);
  const others = explicit ? variants.slice(1) : variants.slice(1).map((v) => ({ ...v, baseline: first.name }));
  return [first, ...others, { ...first, name: `${first.name} (A/A)`, baseline: first.name }];
}

/**
 * Warm-up, then `rounds` measured rounds; odd rounds run the variants in reverse order so that
 * neither side always runs on a warmer (or more throttled) machine. A full run adds an A/A
 * variant (the first variant again, against itself).
 */
export async function benchHttp(spec: HttpBenchSpec): Promise<BenchReport> {
  const options = spec.options ?? parseBenchArgs(process.argv.slice(2), spec.defaults).options;
  const loadAverage = loadavg() as [number, number, number];
  const variants = withAaVariant(spec.variants, options);
  const targets = new Map<HttpVariant['target'], Target>();
  const label = `${spec.lesson} · ${spec.title}`;
  const progress = createProgress(label, variants.length * (options.warmup + options.rounds * options.duration));
  try {
    for (const v of variants) {
      if (!targets.has(v.target)) targets.set(v.target, await v.target());
    }
    const targetOf = (v: HttpVariant): Target => targets.get(v.target)!;
    const connectionsOf = (v: HttpVariant): number => v.connections ?? options.connections;

    const { pinned, line: isolation } = await isolate(variants.map((v) => ({ name: v.name, target: targetOf(v) })));

    for (const v of variants) {
      if (options.warmup <= 0) break;
      progress.step(`warm-up ${v.name}`, options.warmup);
      pinGenerator(pinned.has(targetOf(v)));
      await Promise.all([runAutocannon(targetOf(v).url, options.warmup, connectionsOf(v), v.request), runAlongside(targetOf(v).url, options.warmup, v.alongside)]);
    }
    const perVariant = new Map<string, MeasuredRound[]>();
    const profiles = new Map<string, CpuProfile[]>();
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const target = targetOf(v);
        progress.step(`round ${round + 1}/${options.rounds} ${v.name}`, options.duration);
        pinGenerator(pinned.has(target));
        await v.beforeRound?.(target, v.name);
        const roots = await rootsOf(target);
        const mark = await markRound(roots);
        const profiled = options.profile ? await startProfiles([...mark.probes.keys()].filter((pid) => probedPids().has(pid))) : [];
        const histogram = createLatencyHistogram();
        const alongsideHistogram = createLatencyHistogram();
        const [result, side] = await Promise.all([
          runAutocannon(target.url, options.duration, connectionsOf(v), v.request, histogram),
          runAlongside(target.url, options.duration, v.alongside, alongsideHistogram),
        ]);
        const cost = await finishRound(mark, roots);
        if (profiled.length > 0) profiles.set(v.name, [...(profiles.get(v.name) ?? []), ...(await stopProfiles(profiled))]);
        const extra = (await v.collect?.(target, v.name)) ?? {};
        perVariant.set(v.name, [...(perVariant.get(v.name) ?? []), {
          requests: result.requests.total, duration: result.duration, rate: result.requests.total / result.duration,
          ...(cost.serverCpuSeconds !== undefined && result.requests.total > 0 ? { cpuPerRequest: (cost.serverCpuSeconds * 1e6) / result.requests.total } : {}),
          latency: result.latency, errors: result.errors + (side?.errors ?? 0), timeouts: result.timeouts + (side?.timeouts ?? 0), non2xx: result.non2xx + (side?.non2xx ?? 0), extra, cost, histogram,
          ...(side ? { alongside: { requests: side.requests.total, duration: side.duration, histogram: alongsideHistogram } } : {}),
        }]);
      }
    }
    progress.done();
    pinGenerator(false);
    const results: VariantResult[] = variants.map((v) => {
      const rounds = perVariant.get(v.name)!;
      const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
      const seconds = rounds.reduce((sum, r) => sum + r.duration, 0);
      const latency = mergeHistograms(rounds.map((r) => r.histogram));
      const extraKeys = [...new Set(rounds.flatMap((r) => Object.keys(r.extra)))];
      return {
        name: v.name,
        baseline: v.baseline,
        rate: requests / seconds,
        p50Ms: latency.percentileMs(50),
        p99Ms: latency.percentileMs(99),
        p999Ms: latency.percentileMs(99.9),
        percentiles: percentilePoints(latency),
        errors: rounds.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
        non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
        extra: { ...alongsideColumns(v.alongside, rounds), ...Object.fromEntries(extraKeys.map((k) => [k, median(rounds.filter((r) => k in r.extra).map((r) => r.extra[k]!))])) },
        range: rangeOf(rounds.map((r) => r.rate)),
        attribution: attribute(rounds, pinned.has(targetOf(v))),
        // Per round: autocannon's own summary (2xx only, whole ms) beside the harness's cost.
        rounds: rounds.map(({ histogram: _h, alongside, ...r }) => (alongside ? { ...r, alongside: { requests: alongside.requests, duration: alongside.duration } } : r)),
      };
    });
    const after = [...(options.perProcess ? perProcessNotes(results) : []), ...(options.profile ? profileNotes(spec.lesson, results, profiles) : [])];
    return report(spec.lesson, spec.title, 'req/s', options, results, Object.fromEntries(variants.map((v) => [v.name, connectionsOf(v)])), { isolation, after, conditions: { loadAverage, pinned: pinned.size > 0 } });
  } finally {
    progress.done();
    for (const target of targets.values()) await target.close?.();
  }
}

/**
 * Isolation: a server that is one process gets its own CPU, the generator the rest (see
 * isolation.ts). Returns the pinned targets and the header line that says what was done.
 * A generator started later as a child process (wrk) inherits this process's CPUs, so
 * `pinGenerator(true)` before starting it pins it too.
 */
export async function isolate(entries: readonly { name: string; target: Target }[]): Promise<{ pinned: Set<Target>; line: string }> {
  const targets = new Set(entries.map((e) => e.target));
  const pinned = new Set<Target>();
  for (const target of targets) {
    if (target.pin === false) continue;
    const roots = await rootsOf(target);
    const tree = roots.length === 1 && !target.pids ? snapshotTree(roots) : undefined;
    // Pin every process of the tree (the server and tsx's idle esbuild helper).
    if (tree?.serving.length === 1 && tree.pids.every((pid) => pinServer(pid))) pinned.add(target);
  }
  const unpinned = entries.filter((e) => !pinned.has(e.target)).map((e) => e.name);
  const line = pinned.size === 0
    ? `isolation: none (${!canPin() ? 'no taskset or one CPU' : [...targets].some((t) => t.pin === false) ? 'servers not pinned on request' : 'servers of several processes'}); gen %CPU is the generator's share of the machine`
    : `isolation: one-process servers pinned to CPU ${cpuSplit().server}, load generator to CPU ${cpuSplit().generator} (taskset)${unpinned.length ? `; not pinned (several processes): ${unpinned.join(', ')}` : ''}`;
  return { pinned, line };
}

/** The processes serving `target` now (exported for benches that drive another generator). */
export const targetRoots = rootsOf;

/** The alongside load's columns: its rate over all rounds and percentiles of its merged histogram. */
function alongsideColumns(load: AlongsideLoad | undefined, rounds: readonly MeasuredRound[]): Record<string, number> {
  const sides = rounds.flatMap((r) => (r.alongside ? [r.alongside] : []));
  if (!load || sides.length === 0) return {};
  const latency = mergeHistograms(sides.map((s) => s.histogram));
  return {
    [`${load.label} req/s`]: sides.reduce((sum, s) => sum + s.requests, 0) / sides.reduce((sum, s) => sum + s.duration, 0),
    [`${load.label} p50 ms`]: latency.percentileMs(50),
    [`${load.label} p99 ms`]: latency.percentileMs(99),
  };
}

/** `--per-process`: each variant's server CPU per request, by process (role and command). */
function perProcessNotes(results: readonly VariantResult[]): string[] {
  const rows = [['variant', 'process', 'n', 'srv µs/req', 'sys %', 'vol cs/req', 'invol cs/req']];
  for (const v of results) {
    for (const [i, p] of (v.attribution?.perProcess ?? []).entries()) {
      rows.push([i === 0 ? v.name : '', `${p.role} ${p.command}`, String(p.processes), fmt(p.cpuUsPerRequest), fmt(p.sysPct), fmt(p.voluntaryPerRequest), fmt(p.involuntaryPerRequest)]);
    }
  }
  // The table right-aligns every column but the first: keep the process names left-aligned.
  const width = Math.max(...rows.map((r) => r[1]!.length));
  for (const r of rows) r[1] = r[1]!.padEnd(width);
  if (rows.length === 1) return ['per process: no process tree known (no /proc, or no pid for the servers)'];
  return ['per process (server CPU µs per request over the measured rounds, its kernel share, main-thread context switches per request; root = a process the target named, child = its descendants):', ...table(rows).split('\n').map((l) => `  ${l}`)];
}

/** Writes each variant's profile and prints, per ratio pair, the functions that changed most. */
function profileNotes(lesson: string, results: readonly VariantResult[], profiles: Map<string, CpuProfile[]>): string[] {
  const lines: string[] = [];
  const merged = new Map<string, CpuProfile>();
  for (const [name, list] of profiles) {
    const profile = mergeProfiles(list);
    merged.set(name, profile);
    lines.push(`profile: ${name} → ${repoPath(writeProfile(lesson, name, profile))} (${list.length} process-round(s), main threads, measured rounds only)`);
  }
  if (merged.size === 0) lines.push('profile: no server process answered (servers not started by spawnServer need probeEnv())');
  const requests = (v: VariantResult): number => (v.rounds as { requests: number }[]).reduce((s, r) => s + r.requests, 0);
  for (const [v, b] of pairs(results)) {
    const pv = merged.get(v.name);
    const pb = merged.get(b.name);
    if (!pv || !pb) continue;
    const rows = whatChanged(selfTimes(pb), requests(b), selfTimes(pv), requests(v));
    lines.push(`what changed, ${v.name} vs ${b.name} (self-time µs per request, server main threads):`);
    lines.push(...table([['function', b.name, v.name, 'change'], ...rows.map((r) => [r.name, fmt(r.baseline), fmt(r.variant), `${r.change > 0 ? '+' : ''}${fmt(r.change)}`])]).split('\n').map((l) => `  ${l}`));
  }
  return lines;
}
