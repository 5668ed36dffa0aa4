import type { RequestListener, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '@course/shared';
import { listen } from '@course/shared/testing';
import { parseOpenLoopArgs } from '../src/open-loop/cli.ts';
import { parseHttperf, parseWrk } from '../src/open-loop/external-tools.ts';
import { arrivalSchedule, intendedAt, runOpenLoop, summarize } from '../src/open-loop/open-loop.ts';
import { latencyChart } from '../src/open-loop/svg-chart.ts';

const servers: RunningServer[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

/** Holds every response until `n` requests have arrived, then answers them all. */
function gate(n: number): RequestListener {
  const waiting: ServerResponse[] = [];
  return (req, res) => {
    req.resume();
    waiting.push(res);
    if (waiting.length >= n) for (const r of waiting.splice(0)) r.end('ok');
  };
}

describe('open-loop generator', { timeout: 30_000 }, () => {
  it('keeps sending on schedule while the server answers nothing (a closed loop would wait)', async () => {
    // 40 requests at 200/s: the server answers none of them until all 40 have arrived.
    const server = await listen(gate(40));
    servers.push(server);
    const r = await runOpenLoop({ url: `${server.url}/`, rate: 200, seconds: 0.2, timeoutMs: 10_000, arrivals: 'fixed' });
    expect(r.sent).toBe(40);
    expect(r.completed).toBe(40);
    expect(r.errors + r.timeouts).toBe(0);
    // The first request was due at 0 ms and answered only after the 40th was due (195 ms):
    // measured from its intended send time, it waited at least that long.
    expect(r.latency.maxMs()).toBeGreaterThanOrEqual(intendedAt(39, 200));
    // The JSON summary the bench reads from its child keeps the counts and reduces each
    // histogram to percentiles.
    const summary = JSON.parse(JSON.stringify(summarize(r, 0.5)));
    expect(summary).toMatchObject({ offeredRate: 200, arrivals: 'fixed', sent: 40, completed: 40, errors: 0, timeouts: 0, generatorCpuSeconds: 0.5 });
    expect(summary.latencyMs.max).toBe(r.latency.maxMs());
    expect(summary.serviceMs.p99).toBe(r.service.percentileMs(99));
  });

  it('with fixed arrivals, schedules request i at i/rate seconds', () => {
    expect(intendedAt(0, 1000)).toBe(0);
    expect(intendedAt(250, 1000)).toBe(250);
    expect(intendedAt(3, 2)).toBe(1500);
    expect([...arrivalSchedule(4, 2, 'fixed')]).toEqual([0, 500, 1000, 1500]);
  });

  /** Mean and coefficient of variation of the gaps between consecutive arrivals. */
  const gaps = (at: Float64Array): { mean: number; cv: number; aboveMean: number } => {
    const g = Array.from({ length: at.length - 1 }, (_, i) => at[i + 1]! - at[i]!);
    const mean = g.reduce((sum, x) => sum + x, 0) / g.length;
    const sd = Math.sqrt(g.reduce((sum, x) => sum + (x - mean) ** 2, 0) / g.length);
    return { mean, cv: sd / mean, aboveMean: g.filter((x) => x > mean).length / g.length };
  };

  it('by default, spaces arrivals as a Poisson process: exponential gaps, mean 1/rate, CV about 1', () => {
    const at = arrivalSchedule(20_001, 500); // 20 000 gaps, seed 1
    const { mean, cv, aboveMean } = gaps(at);
    expect(mean).toBeGreaterThan(2 * 0.97); // 1/rate = 2 ms
    expect(mean).toBeLessThan(2 * 1.03);
    expect(cv).toBeGreaterThan(0.95); // exponential: standard deviation = mean
    expect(cv).toBeLessThan(1.05);
    // An exponential gap exceeds its mean with probability e^-1 = 0.37.
    expect(aboveMean).toBeGreaterThan(0.35);
    expect(aboveMean).toBeLessThan(0.39);
  });

  it('draws the same Poisson schedule for the same seed, another for another seed; fixed spacing has CV 0', () => {
    expect([...arrivalSchedule(100, 50, 'poisson', 7)]).toEqual([...arrivalSchedule(100, 50, 'poisson', 7)]);
    expect([...arrivalSchedule(100, 50, 'poisson', 7)]).not.toEqual([...arrivalSchedule(100, 50, 'poisson', 8)]);
    const fixed = gaps(arrivalSchedule(1000, 50, 'fixed'));
    expect(fixed.mean).toBeCloseTo(20, 9);
    expect(fixed.cv).toBeLessThan(1e-9);
  });

  it('runs a Poisson schedule unless told otherwise, and sends rate × seconds requests', async () => {
    const server = await listen((req, res) => { req.resume(); res.end('ok'); });
    servers.push(server);
    const r = await runOpenLoop({ url: `${server.url}/`, rate: 100, seconds: 0.3 });
    expect(r.arrivals).toBe('poisson');
    expect(r.sent).toBe(30);
    expect(r.completed).toBe(30);
  });

  it('counts timeouts apart from errors, and never hangs on a server that never answers', async () => {
    const server = await listen((req) => { req.resume(); });
    servers.push(server);
    const r = await runOpenLoop({ url: `${server.url}/`, rate: 50, seconds: 0.1, timeoutMs: 200 });
    expect(r.sent).toBe(5);
    expect(r.timeouts).toBe(5);
    expect(r.errors).toBe(0);
    expect(r.completed).toBe(0);
  });

  it('accepts the documented command line, with or without a leading --', () => {
    const parsed = parseOpenLoopArgs(['--', '--rate', '500', '--duration', '5', 'http://127.0.0.1:3015/']);
    expect(parsed).toMatchObject({ rate: 500, seconds: 5, url: 'http://127.0.0.1:3015/', newConnectionEach: false, arrivals: 'poisson', seed: 1 });
    expect(parseOpenLoopArgs(['--rate', '10', '--arrivals', 'fixed', '--seed', '9', 'http://x/'])).toMatchObject({ arrivals: 'fixed', seed: 9 });
    expect(parseOpenLoopArgs(['--rate', '10', 'http://x/'])).toMatchObject({ client: 'node-http' });
    expect(parseOpenLoopArgs(['--rate', '10', '--client', 'raw', 'http://x/'])).toMatchObject({ client: 'raw' });
    expect(() => parseOpenLoopArgs(['--rate', '10', '--client', 'curl', 'http://x/'])).toThrow(/--client/);
    expect(() => parseOpenLoopArgs(['--rate', '10', '--client', 'raw', '--new-connections', 'http://x/'])).toThrow(/keeps connections alive/);
    expect(() => parseOpenLoopArgs(['--rate', '10', '--arrivals', 'uniform', 'http://x/'])).toThrow(/--arrivals/);
    expect(() => parseOpenLoopArgs(['--rate', '10', '--seed', '-1', 'http://x/'])).toThrow(/--seed/);
    expect(parseOpenLoopArgs(['--rate', '10', '--new-connections', '--json', 'http://x/']).newConnectionEach).toBe(true);
    expect(() => parseOpenLoopArgs(['--rate', '0', 'http://x/'])).toThrow(/--rate/);
    expect(() => parseOpenLoopArgs(['--rate', '5'])).toThrow(/one URL/);
  });
});

describe('packaged tools\' output', () => {
  it('reads wrk --latency', () => {
    const text = [
      'Running 10s test @ http://127.0.0.1:39999/',
      '  1 threads and 50 connections',
      '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
      '    Latency     4.03ms   29.12ms 503.34ms   99.31%',
      '    Req/Sec    14.10k     1.07k   15.31k    89.00%',
      '  Latency Distribution',
      '     50%    2.99ms',
      '     75%    3.07ms',
      '     90%    3.23ms',
      '     99%    4.51ms',
      '  140389 requests in 10.00s, 14.33MB read',
      'Requests/sec:  14036.16',
    ].join('\n');
    expect(parseWrk(text)).toEqual({ rate: 14036.16, requests: 140389, p50: 2.99, p99: 4.51, max: 503.34, errors: 0 });
  });

  it('reads httperf\'s summary (it has no percentiles)', () => {
    const text = [
      'Total: connections 10000 requests 10000 replies 10000 test-duration 10.001 s',
      'Connection time [ms]: min 0.1 avg 25.3 max 501.2 median 0.5 stddev 88.0',
      'Errors: total 0 client-timo 0 socket-timo 0 connrefused 0 connreset 0',
    ].join('\n');
    const r = parseHttperf(text);
    expect(r).toMatchObject({ requests: 10000, mean: 25.3, p50: 0.5, max: 501.2, errors: 0 });
    expect(r.rate).toBeCloseTo(999.9, 1);
    expect(r.p99).toBeUndefined();
  });
});

describe('latency chart', () => {
  it('draws one line per variant and percentile, with a legend, on log axes', () => {
    const svg = latencyChart([
      { variant: 'slow', percentile: 'p50', points: [{ x: 50, y: 5 }, { x: 150, y: 40 }] },
      { variant: 'slow', percentile: 'p99', points: [{ x: 50, y: 20 }, { x: 150, y: 900 }] },
      { variant: 'fixed', percentile: 'p50', points: [{ x: 500, y: 1 }, { x: 1500, y: 3 }] },
    ], 'title & more');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('>slow p99<');
    expect(svg).toContain('title &amp; more');
    expect(svg).toContain('>1,000<');
  });
});
