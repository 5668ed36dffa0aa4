/**
 * The primary: one port for all workers, crash recovery, zero-downtime rolling restart.
 * Real worker processes on a temporary database; the primary runs in the test process.
 */
import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { WorkerInfo } from '../src/primary.ts';
import { send, startLoad, useCluster, withTimeout } from './helpers.ts';

describe('a cluster of two workers', () => {
  const cluster = useCluster('cluster', 500);

  it('answers from every worker on one port, never from the primary', async () => {
    const { primary, url } = cluster;
    const pids = new Set<number>();
    for (let i = 0; i < 10; i++) {
      const reply = await send(`${url}/items/1`);
      expect(reply.status).toBe(200);
      pids.add(reply.pid!);
    }
    expect([...pids].sort()).toEqual(primary.workers().map((w) => w.pid).sort());
    expect(pids.has(process.pid)).toBe(false);
  });

  it('replaces a killed worker; only requests in flight at that worker fail', async () => {
    const { primary, url } = cluster;
    const load = startLoad(url, 8, (id) => ({ path: `/items/${(id % 500) + 1}` }));
    await load.settled(50);
    const victim = primary.workers()[0]!;
    const replaced = once(primary, 'worker-ready') as Promise<[WorkerInfo]>;
    const inFlightAtKill = load.inFlight();
    const killedAt = performance.now();
    process.kill(victim.pid, 'SIGKILL');
    const [replacement] = await withTimeout(replaced, 90_000, 'replacement worker');
    await withTimeout(load.settled(50), 60_000, 'load after the replacement');
    const outcomes = await load.stop();

    const failed = outcomes.filter((o) => o.error !== undefined || o.status !== 200);
    // Every failure is a request that was already sent when the worker died.
    for (const f of failed) expect(inFlightAtKill.has(f.id), `request ${f.id} (${f.error ?? f.status}) started after the kill`).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(inFlightAtKill.size);
    // The survivor kept serving while the replacement started, and the replacement serves now.
    const after = outcomes.filter((o) => o.startedAt > killedAt && o.status === 200);
    expect(after.length).toBeGreaterThan(0);
    expect(after.some((o) => o.pid === replacement.pid)).toBe(true);
    expect(primary.workers().map((w) => w.pid)).not.toContain(victim.pid);
    expect(primary.workers()).toHaveLength(2);
  }, 150_000);

  it('restarts every worker under load without failing a single request', async () => {
    const { primary, url } = cluster;
    const before = primary.workers().map((w) => w.pid);
    const load = startLoad(url, 8, (id) =>
      id % 4 === 0
        ? { path: `/items/${(id % 500) + 1}`, method: 'PATCH', body: { priceCents: 100 + id } }
        : { path: `/items/${(id % 500) + 1}` });
    await load.settled(50);
    await withTimeout(primary.rollingRestart(), 150_000, 'rolling restart');
    await withTimeout(load.settled(50), 60_000, 'load after the restart');
    const outcomes = await load.stop();

    const failed = outcomes.filter((o) => o.error !== undefined || o.status !== 200);
    expect(failed).toEqual([]);
    const after = primary.workers().map((w) => w.pid);
    expect(after).toHaveLength(2);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
    // Both old and new workers answered during the run: the restart happened under load.
    const servedBy = new Set(outcomes.map((o) => o.pid));
    for (const pid of [...before, ...after]) expect(servedBy.has(pid)).toBe(true);
  }, 200_000);
});
