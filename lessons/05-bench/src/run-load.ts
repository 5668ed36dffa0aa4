/**
 * One load run with autocannon underneath, summarised the way ab reports it.
 */
import autocannon from 'autocannon';
import type { LoadOptions } from './ab-args.ts';

/** The figures ab prints, from one run. */
export interface LoadSummary {
  url: string;
  host: string;
  port: number;
  path: string;
  concurrency: number;
  /** Requests asked for with -n (undefined when only -t bounded the run). */
  requestedRequests?: number;
  seconds: number;
  /** Responses received, whatever their status. */
  completeRequests: number;
  /** Connection errors and timeouts: requests that got no response. */
  failedRequests: number;
  timeouts: number;
  non2xx: number;
  /** Count per HTTP status, e.g. `{ "201": 1, "409": 1599 }`. */
  statusCodes: Record<string, number>;
  requestsPerSecond: number;
  /**
   * ab's two "Time per request" figures (ms), by ab's definitions: `mean` = concurrency × time
   * taken / complete requests (what one of the concurrent users waits per request), and
   * `acrossAllConcurrent` = time taken / complete requests (the inverse of requests per second).
   */
  timePerRequestMs: { mean: number; acrossAllConcurrent: number };
  /** Response bytes per second, headers included. */
  transferBytesPerSecond: number;
  totalBytes: number;
  /** Milliseconds. */
  latencyMs: { mean: number; p50: number; p75: number; p90: number; p99: number; p99_9: number; max: number };
}

/**
 * Runs the load and resolves with its summary. Refused connections and servers that die
 * mid-run do not reject: autocannon counts them as errors and the summary shows them.
 */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const target = new URL(options.url);
  const started = performance.now();
  let lastResponseAt = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const instance = autocannon(
      {
        url: options.url,
        connections: options.concurrency,
        // LESSON: `amount` is a request count, not a duration: -n 1600 means exactly 1600 requests.
        amount: options.requests,
        // With -n, autocannon ignores duration; -t then ends the run through stop() below.
        ...(options.requests === undefined ? { duration: options.timeLimitSeconds } : {}),
        method: options.method,
        headers: options.headers,
        ...(options.body ? { body: options.body } : {}),
        idReplacement: options.idReplacement,
        timeout: options.timeoutSeconds,
      },
      (error, res) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(res);
      },
    );
    instance.on('response', () => { lastResponseAt = performance.now(); });
    if (options.requests !== undefined && options.timeLimitSeconds !== undefined) {
      timer = setTimeout(() => instance.stop(), options.timeLimitSeconds * 1000);
    }
  });

  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  const completeRequests = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
  // autocannon's own duration ends on its next 1 s tick (a 0.3 s run of -n 500 reports 1.01 s):
  // with -n, time the run from the start to the last response, as ab does.
  const seconds = options.requests !== undefined && completeRequests > 0 ? Math.max((lastResponseAt - started) / 1000, 1e-3) : Math.max(result.duration, 1e-3);
  return {
    url: options.url,
    host: target.hostname,
    port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
    path: `${target.pathname}${target.search}`,
    concurrency: options.concurrency,
    requestedRequests: options.requests,
    seconds,
    completeRequests,
    failedRequests: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    requestsPerSecond: completeRequests / seconds,
    // LESSON: ab's "Time per request" is computed from the run's totals, not from the latencies
    // (latencyMs.mean); in a closed loop the two agree only by Little's law.
    timePerRequestMs: {
      mean: (options.concurrency * seconds * 1000) / completeRequests,
      acrossAllConcurrent: (seconds * 1000) / completeRequests,
    },
    transferBytesPerSecond: result.throughput.total / seconds,
    totalBytes: result.throughput.total,
    latencyMs: {
      mean: result.latency.mean,
      p50: result.latency.p50,
      p75: result.latency.p75,
      p90: result.latency.p90,
      p99: result.latency.p99,
      p99_9: result.latency.p99_9,
      max: result.latency.max,
    },
  };
}
