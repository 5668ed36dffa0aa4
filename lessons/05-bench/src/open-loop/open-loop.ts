/**
 * An open-loop load generator: requests leave at a given rate, on a schedule fixed before the
 * run, whatever the server does, and each latency is measured from the request's *intended*
 * send time. By default the schedule is a Poisson process (independent users: exponential gaps
 * from a seeded generator), or evenly spaced with `arrivals: 'fixed'`. A closed-loop tool (ab, wrk, autocannon) sends a connection's next request only
 * after the last response, so while a server stalls it stops asking, and the requests real
 * users would have sent meanwhile are never measured: coordinated omission.
 *
 * Hand-built to teach it (about 100 lines); the real tools are wrk2 (`wrk -R`, not packaged by
 * Debian), Vegeta and k6's constant-arrival-rate executor; httperf (`--rate`) is the packaged
 * open-loop reference this lesson checks it against.
 */
import { Agent, request } from 'node:http';
import { createLatencyHistogram, type LatencyHistogram } from '@course/shared/bench';
import { arrivalSchedule, type Arrivals } from './arrivals.ts';
import { RawHttpPool } from './raw-http.ts';

export { arrivalSchedule, type Arrivals };

/** One open-loop run. */
export interface OpenLoopOptions {
  url: string;
  /** Offered load: requests per second (the mean rate of the schedule). */
  rate: number;
  /** How requests are spaced (default `poisson`). */
  arrivals?: Arrivals;
  /** Seed of a Poisson schedule (default 1): the same seed gives the same schedule. */
  seed?: number;
  /** Seconds of sending that are measured. */
  seconds: number;
  /**
   * Seconds of sending at the same rate before the measured part, not recorded (default 0):
   * the generator's own first requests are late (module loading, JIT, first sockets).
   */
  warmupSeconds?: number;
  /** A request not answered after this long counts as timed out (default 10 s). */
  timeoutMs?: number;
  /** A new TCP connection per request (as httperf --num-calls 1 does); default keep-alive. */
  newConnectionEach?: boolean;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * `node-http` (default): Node's `http.request`, what a reader's own code would use. `raw`: the
   * minimal client of raw-http.ts, for rates where `http.request`'s own CPU makes the generator
   * late (keep-alive only).
   */
  client?: 'node-http' | 'raw';
  /** Request `i`'s path, method and body instead of the URL's (a workload mix); `i` counts the warm-up too. */
  requestFor?: (i: number) => { path: string; method?: string; body?: string; headers?: Record<string, string> };
}

/** What the run measured. Latencies in ms. */
export interface OpenLoopResult {
  offeredRate: number;
  arrivals: Arrivals;
  seconds: number;
  sent: number;
  completed: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  /** Responses per second over the measured sending window plus its drain. */
  achievedRate: number;
  /** From the intended send time: what a user arriving on schedule waited. */
  latency: LatencyHistogram;
  /** From the moment the request was actually written: what a closed-loop tool would report. */
  service: LatencyHistogram;
  /** How late the generator itself sent (ms): if this is large, the generator is the bottleneck. */
  sendLagP99Ms: number;
}

/** Latency percentiles of one histogram, in ms. */
export interface Percentiles { p50: number; p90: number; p99: number; p999: number; max: number; mean: number }

/**
 * What cli.ts prints with --json and run-child.ts reads: the result with each histogram
 * reduced to its percentiles, plus the generator's own CPU.
 */
export type OpenLoopSummary = Omit<OpenLoopResult, 'latency' | 'service'> & {
  latencyMs: Percentiles;
  serviceMs: Percentiles;
  generatorCpuSeconds: number;
};

/** Reduces a result to its JSON summary. */
export function summarize(result: OpenLoopResult, generatorCpuSeconds: number): OpenLoopSummary {
  const { latency, service, ...counts } = result;
  const pct = (h: LatencyHistogram): Percentiles => ({ p50: h.percentileMs(50), p90: h.percentileMs(90), p99: h.percentileMs(99), p999: h.percentileMs(99.9), max: h.maxMs(), mean: Number(h.hdr.mean) / 1000 });
  return { ...counts, latencyMs: pct(latency), serviceMs: pct(service), generatorCpuSeconds };
}

/** The intended send time of request `i` (ms from the start) at `rate` per second. */
export function intendedAt(i: number, rate: number): number {
  return (i * 1000) / rate;
}

/** Runs the schedule; resolves after every request has answered, failed or timed out. */
export function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, seconds } = options;
  const arrivals = options.arrivals ?? 'poisson';
  const warmup = Math.round(rate * (options.warmupSeconds ?? 0));
  const total = warmup + Math.max(1, Math.round(rate * seconds));
  const schedule = arrivalSchedule(total, rate, arrivals, options.seed ?? 1);
  const timeoutMs = options.timeoutMs ?? 10_000;
  // No socket limit: an arrival never waits for a free connection inside the generator.
  const agent = new Agent({ keepAlive: !options.newConnectionEach, maxSockets: Infinity });
  if (options.client === 'raw' && options.newConnectionEach) throw new Error('the raw client keeps connections alive: newConnectionEach needs client node-http');
  const target = new URL(options.url);
  const raw = options.client === 'raw' ? new RawHttpPool(target.hostname.replace(/^\[|\]$/g, ''), Number(target.port || 80), timeoutMs) : undefined;
  const latency = createLatencyHistogram();
  const service = createLatencyHistogram();
  const lag = createLatencyHistogram();
  const statuses: Record<string, number> = {};
  let completed = 0;
  let errors = 0;
  let timeouts = 0;
  let settled = 0;
  let sent = 0;
  let lastDone = 0;
  const start = performance.now();

  return new Promise((resolve) => {
    const finishOne = (): void => {
      settled++;
      if (settled < total) return;
      agent.destroy();
      raw?.destroy();
      // Achieved rate over the measured part: from its first intended send to its last response.
      const elapsed = Math.max(1e-3, (lastDone - start - schedule[Math.min(warmup, total - 1)]!) / 1000);
      resolve({ offeredRate: rate, arrivals, seconds, sent, completed, errors, timeouts, statuses, achievedRate: completed / elapsed, latency, service, sendLagP99Ms: lag.percentileMs(99) });
    };
    const send = (i: number): void => {
      const intended = schedule[i]!;
      const measured = i >= warmup;
      const writtenAt = performance.now();
      if (measured) {
        lag.recordMs(Math.max(0, writtenAt - start - intended));
        sent++;
      }
      const own = options.requestFor?.(i);
      const method = own?.method ?? options.method ?? 'GET';
      const headers = own?.headers ?? options.headers;
      const answered = (status: number): void => {
        const done = performance.now();
        if (measured) {
          // LESSON: latency counts from when the request *should* have left, not when it did.
          latency.recordMs(done - start - intended);
          service.recordMs(done - writtenAt);
          statuses[status] = (statuses[status] ?? 0) + 1;
          completed++;
          lastDone = done;
        }
        finishOne();
      };
      if (raw) {
        raw.request({ method, path: own?.path ?? `${target.pathname}${target.search}`, headers, body: own ? own.body : options.body }, (error, status) => {
          if (!error) answered(status!);
          else {
            if (measured) { if (error.message === 'timeout') timeouts++; else errors++; }
            finishOne();
          }
        });
        return;
      }
      const url = own ? new URL(own.path, target) : target;
      const req = request(url, { method, headers, agent, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => answered(res.statusCode ?? 0));
      });
      let timedOut = false;
      req.on('timeout', () => { timedOut = true; if (measured) timeouts++; req.destroy(); });
      req.on('error', () => { if (!timedOut && measured) errors++; finishOne(); });
      req.end(own ? own.body : options.body);
    };
    let next = 0;
    const tick = (): void => {
      const now = performance.now() - start;
      // Everything due by now leaves now (a late timer never thins the schedule out).
      while (next < total && schedule[next]! <= now) send(next++);
      if (next < total) setTimeout(tick, Math.max(0, schedule[next]! - (performance.now() - start)));
    };
    tick();
  });
}
