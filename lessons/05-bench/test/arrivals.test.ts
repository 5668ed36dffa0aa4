import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '@course/shared';
import { listen } from '@course/shared/testing';
import { arrivalSchedule } from '../src/open-loop/arrivals.ts';
import { runOpenLoop } from '../src/open-loop/open-loop.ts';

const servers: RunningServer[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

/** Gaps between consecutive arrivals, ms. */
const gaps = (at: Float64Array): number[] => Array.from(at.subarray(1), (t, i) => t - at[i]!);
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const cv = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2))) / m;
};

describe('arrival schedules', () => {
  it('fixed: request i is due at i/rate seconds, evenly spaced', () => {
    const at = arrivalSchedule(5, 200, 'fixed');
    expect(Array.from(at)).toEqual([0, 5, 10, 15, 20]);
  });

  it('poisson: exponential gaps with the same mean rate (mean gap 1/rate, spread as large as the mean)', () => {
    const at = arrivalSchedule(20_001, 500, 'poisson', 7);
    const g = gaps(at);
    expect(at[0]).toBe(0);
    expect(g.every((x) => x >= 0)).toBe(true);
    // 20 000 exponential gaps: the sample mean is within 3% of 2 ms (its SD is 0.7%).
    expect(mean(g)).toBeGreaterThan(2 * 0.97);
    expect(mean(g)).toBeLessThan(2 * 1.03);
    // An exponential's coefficient of variation is 1; the fixed schedule's is 0.
    expect(cv(g)).toBeGreaterThan(0.95);
    expect(cv(g)).toBeLessThan(1.05);
    // Bursts: about e^-1 of the gaps are longer than the mean, 1 - e^-0.5 shorter than half of it.
    expect(g.filter((x) => x < 1).length / g.length).toBeCloseTo(1 - Math.exp(-0.5), 1);
  });

  it('poisson: the same seed gives the same schedule, another seed another one', () => {
    expect(Array.from(arrivalSchedule(100, 1000, 'poisson', 3))).toEqual(Array.from(arrivalSchedule(100, 1000, 'poisson', 3)));
    expect(Array.from(arrivalSchedule(100, 1000, 'poisson', 4))).not.toEqual(Array.from(arrivalSchedule(100, 1000, 'poisson', 3)));
  });
});

describe('open-loop generator with Poisson arrivals and a request mix', { timeout: 30_000 }, () => {
  it('sends every scheduled request, each with the path, method and body requestFor gives it', async () => {
    const seen: string[] = [];
    const server = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c; });
      req.on('end', () => { seen.push(`${req.method} ${req.url} ${body}`); res.end('ok'); });
    });
    servers.push(server);
    const r = await runOpenLoop({
      url: `${server.url}/`, rate: 200, seconds: 0.1, warmupSeconds: 0.05, arrivals: 'poisson', seed: 11,
      requestFor: (i) => (i % 3 === 2 ? { path: `/items/${i}`, method: 'PATCH', body: `{"n":${i}}`, headers: { 'content-type': 'application/json' } } : { path: `/items/${i}` }),
    });
    // 10 warm-up requests (not counted) and 20 measured ones, all answered.
    expect(r.sent).toBe(20);
    expect(r.completed).toBe(20);
    expect(r.errors + r.timeouts).toBe(0);
    const expected = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? `PATCH /items/${i} {"n":${i}}` : `GET /items/${i} `));
    expect(seen.sort()).toEqual(expected.sort());
  });
});
