/**
 * HTTP benchmarks: autocannon, driven from code, against two or more variants in one run.
 */
import autocannon from 'autocannon';
import { parseBenchArgs, type BenchOptions } from './bench-args.ts';
import { median, report, type BenchReport, type VariantResult } from './report.ts';

/** A server under test; `close` is called once at the end. */
export interface Target {
  url: string;
  close?: () => void | Promise<void>;
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
  /** Reads extra numbers after each round (e.g. event-loop delay from /metrics). */
  collect?: (target: Target) => Promise<Record<string, number>>;
  /** Runs before each round of this variant (e.g. reset /metrics). */
  beforeRound?: (target: Target) => Promise<void>;
  /** Connections for this variant, overriding --connections. */
  connections?: number;
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

/** Runs autocannon once; resolves with its result. */
export function runAutocannon(url: string, seconds: number, connections: number, request: RequestSpec = {}): Promise<autocannon.Result> {
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
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    // autocannon keeps the process alive through its timers only while running; nothing to do.
    void instance;
  });
}

/**
 * Warm-up, then `rounds` measured rounds; odd rounds run the variants in reverse order so that
 * neither side always runs on a warmer (or more throttled) machine.
 */
export async function benchHttp(spec: HttpBenchSpec): Promise<BenchReport> {
  const options = spec.options ?? parseBenchArgs(process.argv.slice(2), spec.defaults).options;
  const targets = new Map<HttpVariant['target'], Target>();
  try {
    for (const v of spec.variants) {
      if (!targets.has(v.target)) targets.set(v.target, await v.target());
    }
    const targetOf = (v: HttpVariant): Target => targets.get(v.target)!;
    const connectionsOf = (v: HttpVariant): number => v.connections ?? options.connections;

    if (options.warmup > 0) {
      for (const v of spec.variants) await runAutocannon(targetOf(v).url, options.warmup, connectionsOf(v), v.request);
    }
    const perVariant = new Map<string, { result: autocannon.Result; extra: Record<string, number> }[]>();
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? spec.variants : [...spec.variants].reverse();
      for (const v of order) {
        const target = targetOf(v);
        await v.beforeRound?.(target);
        const result = await runAutocannon(target.url, options.duration, connectionsOf(v), v.request);
        const extra = (await v.collect?.(target)) ?? {};
        perVariant.set(v.name, [...(perVariant.get(v.name) ?? []), { result, extra }]);
      }
    }
    const results: VariantResult[] = spec.variants.map((v) => {
      const rounds = perVariant.get(v.name)!;
      const requests = rounds.reduce((sum, r) => sum + r.result.requests.total, 0);
      const seconds = rounds.reduce((sum, r) => sum + r.result.duration, 0);
      const extraKeys = [...new Set(rounds.flatMap((r) => Object.keys(r.extra)))];
      return {
        name: v.name,
        baseline: v.baseline,
        rate: requests / seconds,
        p50Ms: median(rounds.map((r) => r.result.latency.p50)),
        p99Ms: median(rounds.map((r) => r.result.latency.p99)),
        errors: rounds.reduce((sum, r) => sum + r.result.errors + r.result.timeouts, 0),
        non2xx: rounds.reduce((sum, r) => sum + r.result.non2xx, 0),
        extra: Object.fromEntries(extraKeys.map((k) => [k, median(rounds.map((r) => r.extra[k] ?? 0))])),
        rounds: rounds.map((r) => ({
          requests: r.result.requests.total, duration: r.result.duration, latency: r.result.latency,
          errors: r.result.errors, timeouts: r.result.timeouts, non2xx: r.result.non2xx, extra: r.extra,
        })),
      };
    });
    return report(spec.lesson, spec.title, 'req/s', options, results, Object.fromEntries(spec.variants.map((v) => [v.name, connectionsOf(v)])));
  } finally {
    for (const target of targets.values()) await target.close?.();
  }
}
