/**
 * The primary never takes down the last worker that serves: with one worker, a rolling restart
 * must start the replacement and see it ready before the old one stops accepting, and a
 * replacement that never becomes ready must leave the old one serving. Keep-alive clients and
 * fresh connections alike see no failed request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import { loadRequests, startKeepAliveLoad, type RunningLoad } from '../src/reload/index.ts';
import { startLoad, useCluster, withTimeout, type Load } from './helpers.ts';

const releaseDir = join(repoRoot, 'tmp', 'lesson-11', `release-${process.pid}`);
const releaseFile = join(releaseDir, 'release');
const ship = (release: 'good' | 'hangs' | 'exits'): void => writeFileSync(releaseFile, release);

/** Keep-alive and fresh-connection clients together, counted until stopped. */
function clients(url: string): { answeredMore(count: number): Promise<void>; stop(): Promise<{ keepAlive: Awaited<ReturnType<RunningLoad['stop']>>; fresh: Awaited<ReturnType<Load['stop']>> }> } {
  const keepAlive = startKeepAliveLoad(url, loadRequests.get(100), 10);
  const fresh = startLoad(url, 2, (id) => ({ path: `/items/${(id % 100) + 1}` }));
  return {
    // Signals from the loads: `count` more fresh-connection answers and as many keep-alive ones.
    answeredMore: async (count) => {
      const target = keepAlive.answered() + count;
      await fresh.settled(count);
      while (keepAlive.answered() < target) await fresh.settled(1);
    },
    stop: async () => ({ keepAlive: await keepAlive.stop(), fresh: await fresh.stop() }),
  };
}

describe('a cluster of one worker', () => {
  beforeAll(() => {
    mkdirSync(releaseDir, { recursive: true });
    ship('good');
  });
  afterAll(() => rmSync(releaseDir, { recursive: true, force: true }));
  const cluster = useCluster('last-worker', 100, {
    workers: 1,
    exec: fileURLToPath(new URL('./fixtures/release-worker.mjs', import.meta.url)),
    // Bounds only a replacement's start in a rolling restart (the first worker has 90 s).
    readyTimeoutMs: 5000,
    env: { RELEASE_FILE: releaseFile },
  });

  const broken: Array<['hangs' | 'exits', RegExp]> = [['hangs', /not ready within 5000 ms/], ['exits', /exited before ready \(code 3\)/]];
  for (const [release, reason] of broken) {
    it(`keeps its only worker serving when the replacement ${release === 'hangs' ? 'never becomes ready' : 'dies at start-up'}`, async () => {
      const { primary, url } = cluster;
      const [old] = primary.workers();
      const load = clients(url);
      try {
        await withTimeout(load.answeredMore(50), 60_000, 'load before the restart');
        ship(release);
        await expect(withTimeout(primary.rollingRestart(), 60_000, 'rolling restart')).rejects.toThrow(reason);
        await withTimeout(load.answeredMore(50), 60_000, 'load after the failed restart');
      } finally {
        ship('good');
      }
      const { keepAlive, fresh } = await load.stop();

      expect(primary.workers()).toEqual([expect.objectContaining({ pid: old!.pid, state: 'ready' })]);
      expect(keepAlive.errors).toEqual({});
      expect(keepAlive.non2xx).toBe(0);
      expect(fresh.filter((o) => o.error !== undefined || o.status !== 200)).toEqual([]);
      expect(fresh.at(-1)?.pid).toBe(old!.pid);
    }, 120_000);
  }

  it('replaces its only worker without refusing or failing a request', async () => {
    const { primary, url } = cluster;
    const [old] = primary.workers();
    const load = clients(url);
    await withTimeout(load.answeredMore(50), 60_000, 'load before the restart');
    await withTimeout(primary.rollingRestart(), 90_000, 'rolling restart');
    await withTimeout(load.answeredMore(50), 60_000, 'load after the restart');
    const { keepAlive, fresh } = await load.stop();

    const [now] = primary.workers();
    expect(primary.workers()).toHaveLength(1);
    expect(now!.pid).not.toBe(old!.pid);
    expect(keepAlive.errors).toEqual({});
    expect(keepAlive.non2xx).toBe(0);
    // No ECONNREFUSED: the port was never without a listening worker.
    expect(fresh.filter((o) => o.error !== undefined || o.status !== 200)).toEqual([]);
    expect(new Set(fresh.map((o) => o.pid))).toEqual(new Set([old!.pid, now!.pid]));
  }, 150_000);
});
