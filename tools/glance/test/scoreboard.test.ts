import { describe, expect, it } from 'vitest';
import { createRandom } from '@course/shared';
import { failedRequests, judge, parseScoreboardArgs } from '../src/scoreboard/cli.ts';
import { meanInterval } from '../src/scoreboard/interval.ts';
import { findCapacity, type Probe } from '../src/scoreboard/search.ts';
import { workloadRequests, zipfSampler } from '../src/scoreboard/workloads.ts';

/** A server that passes every rate up to `capacity`; records the rates tried. */
function fakeServer(capacity: number): { probe: (rate: number) => Promise<Probe>; tried: number[] } {
  const tried: number[] = [];
  return {
    tried,
    probe: async (rate) => {
      tried.push(rate);
      return { rate, ok: rate <= capacity, p99Ms: rate <= capacity ? 5 : 80, failed: 0 };
    },
  };
}

describe('capacity search', () => {
  it('steps up until a rate fails, then bisects to within the last bracket, reporting only a rate it tried', async () => {
    const server = fakeServer(1000);
    const r = await findCapacity(server.probe, { start: 100, max: 10_000, min: 10, bisections: 4 });
    expect(server.tried.slice(0, 5)).toEqual([100, 200, 400, 800, 1600]);
    expect(r.capacity).toBeLessThanOrEqual(1000);
    expect(r.capacity).toBeGreaterThan(900);
    expect(server.tried).toContain(r.capacity);
    expect(r.capped).toBe(false);
  });

  it('steps down when the first rate already fails', async () => {
    const server = fakeServer(30);
    const r = await findCapacity(server.probe, { start: 100, max: 10_000, min: 10, bisections: 2 });
    expect(server.tried.slice(0, 3)).toEqual([100, 50, 25]);
    expect(r.capacity).toBeGreaterThanOrEqual(25);
    expect(r.capacity).toBeLessThanOrEqual(30);
  });

  it('reports 0 when nothing down to the minimum passes, and "capped" when the maximum passes', async () => {
    expect((await findCapacity(fakeServer(5).probe, { start: 100, max: 1000, min: 10, bisections: 3 })).capacity).toBe(0);
    const capped = await findCapacity(fakeServer(1e9).probe, { start: 100, max: 1000, min: 10, bisections: 3 });
    expect(capped).toMatchObject({ capacity: 1000, capped: true });
  });
});

describe('judging one open-loop run against the objective', () => {
  const summary = (over: Record<string, unknown> = {}) => ({
    offeredRate: 500, arrivals: 'poisson' as const, seconds: 5, sent: 2500, completed: 2500, errors: 0, timeouts: 0, statuses: { 200: 2500 } as Record<string, number>,
    achievedRate: 500, sendLagP99Ms: 1, generatorCpuSeconds: 1,
    latencyMs: { p50: 2, p90: 4, p99: 10, p999: 20, max: 30, mean: 3 }, serviceMs: { p50: 2, p90: 4, p99: 10, p999: 20, max: 30, mean: 3 },
    ...over,
  });
  it('passes at p99 within the objective with every answer 2xx', () => {
    expect(judge(summary(), 25)).toMatchObject({ ok: true, failed: 0 });
  });
  it('fails on p99 above the objective, on any non-2xx answer, on errors and timeouts, and on a late generator', () => {
    expect(judge(summary({ latencyMs: { p50: 2, p90: 4, p99: 26, p999: 40, max: 50, mean: 3 } }), 25)).toMatchObject({ ok: false, reason: 'p99 26.0 ms' });
    expect(judge(summary({ statuses: { 200: 2499, 503: 1 } }), 25)).toMatchObject({ ok: false, failed: 1 });
    expect(failedRequests({ errors: 2, timeouts: 3, statuses: { 200: 5, 404: 1 } })).toBe(6);
    expect(judge(summary({ sendLagP99Ms: 40 }), 25).reason).toMatch(/^generator late/);
  });
});

describe('workloads', () => {
  it('draws Zipf-skewed ids within 1…n: the hottest 1% of keys take about half the reads', () => {
    const next = zipfSampler(10_000, createRandom(5));
    const counts = new Map<number, number>();
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const id = next();
      if (!(Number.isInteger(id) && id >= 1 && id <= 10_000)) outside++;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(outside).toBe(0);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const top1pct = sorted.slice(0, 100).reduce((s, n) => s + n, 0) / 100_000;
    expect(top1pct).toBeGreaterThan(0.45);
    expect(top1pct).toBeLessThan(0.6);
  });

  it('mixes 90% GETs and 10% PATCHes with a JSON body, the same sequence for the same seed', () => {
    const next = workloadRequests('mixed', 1000, 3);
    const requests = Array.from({ length: 5000 }, (_, i) => next(i));
    const patches = requests.filter((r) => r.method === 'PATCH');
    expect(patches.length / requests.length).toBeGreaterThan(0.08);
    expect(patches.length / requests.length).toBeLessThan(0.12);
    expect(JSON.parse(patches[0]!.body!)).toHaveProperty('priceCents');
    expect(patches[0]!.headers).toEqual({ 'content-type': 'application/json' });
    const again = workloadRequests('mixed', 1000, 3);
    expect(Array.from({ length: 5000 }, (_, i) => again(i))).toEqual(requests);
  });

  it('asks for one category page of 20 items from the seeded categories', () => {
    const next = workloadRequests('category', 1000, 1);
    expect(next(0).path).toMatch(/^\/items\?category=[a-z]+&limit=20$/);
  });
});

describe('intervals and arguments', () => {
  it('gives a Student t interval for the mean of the repeats', () => {
    const { mean, ci } = meanInterval([100, 110, 120]);
    expect(mean).toBe(110);
    // s = 10, t(2) = 4.303: ±24.8
    expect(ci.low).toBeCloseTo(110 - 4.303 * 10 / Math.sqrt(3), 5);
    expect(ci.high).toBeCloseTo(110 + 4.303 * 10 / Math.sqrt(3), 5);
  });
  it('reads --short and --only, and rejects an unknown stage or workload', () => {
    expect(parseScoreboardArgs(['--', '--short', '--only', '02,03'])).toMatchObject({ short: true, only: ['02', '03'], repeats: 1 });
    expect(parseScoreboardArgs([])).toMatchObject({ short: false, repeats: 3, sloP99Ms: 25 });
    expect(() => parseScoreboardArgs(['--only', '07'])).toThrow(/no stage "07"/);
    expect(() => parseScoreboardArgs(['--workloads', 'writes'])).toThrow(/no workload/);
  });
});
