/**
 * The client shape that can fail: 50 keep-alive sockets sending continuously through a
 * rolling restart. Every request must succeed, on reused sockets and new ones alike (the
 * fresh-connection version is in cluster.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadRequests, startKeepAliveLoad, type LoadRequest, type RunningLoad } from '../src/reload/index.ts';
import { useCluster, withTimeout } from './helpers.ts';

/** Resolves once `load` has had `count` more answers than now (checks every 10 ms). */
async function answeredMore(load: RunningLoad, count: number): Promise<void> {
  const target = load.answered() + count;
  while (load.answered() < target) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('a rolling restart under 50 keep-alive connections', () => {
  const cluster = useCluster('keep-alive', 500);

  const cases: Array<[string, LoadRequest]> = [['GET /items/:id', loadRequests.get(500)], ['POST /items', loadRequests.post('keep-alive-test')]];
  for (const [name, spec] of cases) {
    it(`loses no ${name} request, on reused or new sockets`, async () => {
      const { primary, url } = cluster;
      const before = primary.workers().map((w) => w.pid);
      const load = startKeepAliveLoad(url, spec, 50);
      await withTimeout(answeredMore(load, 300), 60_000, 'load before the restart');
      await withTimeout(primary.rollingRestart(), 150_000, 'rolling restart');
      await withTimeout(answeredMore(load, 300), 60_000, 'load after the restart');
      const stats = await load.stop();

      expect(stats.errors).toEqual({});
      expect(stats.non2xx).toBe(0);
      const after = primary.workers().map((w) => w.pid);
      expect(after).toHaveLength(2);
      expect(after.filter((pid) => before.includes(pid))).toEqual([]);
    }, 240_000);
  }
});
