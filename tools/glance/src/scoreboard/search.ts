/**
 * Capacity at a latency objective: the highest offered rate at which an open-loop run keeps p99
 * at or under the objective with no failed request. Found by stepping the rate up by a factor
 * until a run fails, then bisecting between the last rate that passed and the first that failed.
 * Each step is a real run, so the answer is only as fine as the bisection: the search reports the
 * last passing rate, never one it did not try.
 */

/** What one run at one offered rate showed. */
export interface Probe {
  rate: number;
  ok: boolean;
  p99Ms: number;
  /** Failed requests: errors, timeouts and non-2xx answers. */
  failed: number;
  /** Why it failed, in a few words. */
  reason?: string;
}

export interface SearchOptions {
  /** First rate tried (req/s). */
  start: number;
  /** Growth factor while runs pass (default 2). */
  factor?: number;
  /** Highest rate tried: the generator's own limit. A stage that passes there is reported at it. */
  max: number;
  /** Lowest rate worth trying when the first run already fails. */
  min: number;
  /** Bisection steps after the first failure. */
  bisections: number;
}

export interface SearchResult {
  /** Highest passing rate tried; 0 when none passed. */
  capacity: number;
  /** True when the search stopped at `max` without a failure: capacity is at least this. */
  capped: boolean;
  probes: Probe[];
}

export async function findCapacity(probe: (rate: number) => Promise<Probe>, options: SearchOptions): Promise<SearchResult> {
  const factor = options.factor ?? 2;
  const probes: Probe[] = [];
  const run = async (rate: number): Promise<Probe> => {
    const p = await probe(Math.round(rate));
    probes.push(p);
    return p;
  };
  let pass = 0;
  let fail: number | undefined;
  // Step up (or, if the first run fails, down) until the objective is bracketed.
  for (let rate = options.start; ; rate *= factor) {
    const capped = Math.min(rate, options.max);
    const p = await run(capped);
    if (!p.ok) { fail = p.rate; break; }
    pass = p.rate;
    if (capped >= options.max) return { capacity: pass, capped: true, probes };
  }
  if (pass === 0) {
    for (let rate = fail / factor; rate >= options.min; rate /= factor) {
      const p = await run(rate);
      if (p.ok) { pass = p.rate; break; }
      fail = p.rate;
    }
    if (pass === 0) return { capacity: 0, capped: false, probes };
  }
  // Bisect on a log scale: the bracket spans a factor, so its geometric middle halves the doubt.
  for (let i = 0; i < options.bisections; i++) {
    const mid = Math.round(Math.sqrt(pass * fail));
    if (mid <= pass || mid >= fail) break;
    const p = await run(mid);
    if (p.ok) pass = p.rate;
    else fail = p.rate;
  }
  return { capacity: pass, capped: false, probes };
}
