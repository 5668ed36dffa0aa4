import { createServer } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { benchHttp, benchOps, parseBenchArgs } from '../src/bench/index.ts';
import { startServer } from '../src/index.ts';

const quick = parseBenchArgs(['--duration', '0.2', '--warmup', '0', '--rounds', '2', '--connections', '2', '--no-save']).options;

describe('bench harness', () => {
  it('runs every ops variant in each round and prints one ratio line per non-baseline variant', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const order: string[] = [];
    try {
      const report = await benchOps({
        lesson: 'test', title: 'ops', options: quick,
        variants: [
          { name: 'slow', run: () => { order.push('slow'); let x = 0; for (let i = 0; i < 1e5; i++) x += i; return x; } },
          { name: 'fast', run: () => { order.push('fast'); } },
        ],
      });
      expect(report.variants.map((v) => v.name)).toEqual(['slow', 'fast']);
      expect(report.ratios).toHaveLength(1);
      expect(report.ratios[0]).toMatch(/^fast \/ slow = [\d.]+x ops\/s \(p99 /);
      // Alternating: round 1 runs slow then fast, round 2 fast then slow.
      const firsts = order.filter((name, i) => i === 0 || order[i - 1] !== name);
      expect(firsts).toEqual(['slow', 'fast', 'slow']);
      expect(log.mock.calls.flat().join('\n')).toContain('fast / slow =');
    } finally {
      log.mockRestore();
    }
  });

  it('names each variant\'s connection count when they differ', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const ok = await startServer(createServer((_req, res) => res.end('ok')));
    try {
      await benchHttp({
        lesson: 'test', title: 'http', options: { ...quick, rounds: 1 },
        variants: [
          { name: 'few', target: () => ({ url: ok.url }), connections: 1 },
          { name: 'default', target: () => ({ url: ok.url }) },
        ],
      });
      expect(log.mock.calls.flat().join('\n')).toContain('connections per variant: few 1, default 2');
    } finally {
      log.mockRestore();
      await ok.close();
    }
  });

  it('measures HTTP variants with autocannon and counts non-2xx answers', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const ok = await startServer(createServer((_req, res) => res.end('ok')));
    const failing = await startServer(createServer((_req, res) => { res.statusCode = 503; res.end(); }));
    try {
      const report = await benchHttp({
        lesson: 'test', title: 'http', options: quick,
        variants: [
          { name: 'ok', target: () => ({ url: ok.url }) },
          { name: 'failing', target: () => ({ url: failing.url }) },
        ],
      });
      const [okResult, failingResult] = report.variants;
      expect(okResult!.rate).toBeGreaterThan(0);
      expect(okResult!.non2xx).toBe(0);
      expect(failingResult!.non2xx).toBeGreaterThan(0);
      expect(report.ratios[0]).toMatch(/^failing \/ ok = /);
      expect(log.mock.calls.flat().join('\n')).toContain('2 connections');
    } finally {
      log.mockRestore();
      await ok.close();
      await failing.close();
    }
  });
});
