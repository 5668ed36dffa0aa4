import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/index.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('metrics', () => {
  it('reports event-loop delay caused by blocking work', async () => {
    const metrics = createMetrics({ resolutionMs: 10 });
    try {
      await sleep(100);
      const end = Date.now() + 120;
      while (Date.now() < end) { /* block the loop on purpose */ }
      await sleep(50);
      expect(metrics.snapshot().eventLoopDelayMs.max).toBeGreaterThanOrEqual(80);
      metrics.reset();
      await sleep(60);
      expect(metrics.snapshot().eventLoopDelayMs.max).toBeLessThan(80);
    } finally {
      metrics.close();
    }
  });

  it('includes registered collectors and recorded requests', () => {
    const metrics = createMetrics();
    try {
      let hits = 0;
      metrics.register('cache', () => ({ hits }));
      hits = 3;
      metrics.recordRequest(200, 2_000_000);
      metrics.recordRequest(503, 1_000_000);
      const snapshot = metrics.snapshot();
      expect(snapshot.custom.cache).toEqual({ hits: 3 });
      expect(snapshot.requests).toMatchObject({ total: 2, byStatus: { '2xx': 1, '5xx': 1 } });
      expect(snapshot.requests.latencyMs.max).toBeGreaterThanOrEqual(1.9);
    } finally {
      metrics.close();
    }
  });
});
