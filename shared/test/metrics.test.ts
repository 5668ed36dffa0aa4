import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/index.ts';

const nextTick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('metrics', () => {
  it('reports event-loop delay caused by blocking work, and forgets it on reset', async () => {
    const metrics = createMetrics({ resolutionMs: 10 });
    try {
      // The monitor measures the gap between two of its ticks: wait for a first tick (a
      // signal from the monitor itself, bounded) so the blocked interval has a start.
      const first = Date.now() + 5000;
      while (metrics.snapshot().eventLoopSamples === 0 && Date.now() < first) await nextTick();
      const end = Date.now() + 120;
      while (Date.now() < end) { /* block the loop on purpose: the monitor's timer is late */ }
      // Signal, not a fixed sleep: turn the loop until the monitor has recorded the late tick
      // (bounded, so a broken monitor fails the test instead of hanging it).
      const deadline = Date.now() + 5000;
      while (metrics.snapshot().eventLoopDelayMs.max < 100 && Date.now() < deadline) await nextTick();
      expect(metrics.snapshot().eventLoopDelayMs.max).toBeGreaterThanOrEqual(100);
      metrics.reset();
      // Straight after a reset the window holds no samples at all, whatever the machine's load.
      expect(metrics.snapshot().eventLoopSamples).toBe(0);
      expect(metrics.snapshot().eventLoopDelayMs).toEqual({ p50: 0, p99: 0, max: 0, mean: 0 });
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
