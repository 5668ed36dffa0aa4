/**
 * Each worker caches items in its own heap. A write handled by one worker must not leave
 * another serving the old item: the bug with local caches, and the fix through the primary.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Primary } from '../src/primary.ts';
import { send, sendUntil, startCluster, tempDatabase } from './helpers.ts';

/** Reads item `id` on every worker, so both caches hold it; returns the pids. */
async function warmEveryWorker(url: string, primary: Primary, id: number): Promise<number[]> {
  const pids = primary.workers().map((w) => w.pid);
  for (const pid of pids) {
    const reply = await sendUntil(`${url}/items/${id}`, (p) => p === pid);
    expect(reply.status).toBe(200);
  }
  return pids;
}

describe('cache coherence across workers', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  }, 30_000);

  async function cluster(invalidation: 'broadcast' | 'none'): Promise<{ primary: Primary; url: string }> {
    const db = tempDatabase(`coherence-${invalidation}`, 100);
    cleanups.push(db.remove);
    const running = await startCluster(db.dbPath, { invalidation });
    cleanups.push(() => running.primary.stop());
    return running;
  }

  it('without a broadcast, another worker serves the item as it was before the PATCH (the bug)', async () => {
    const { primary, url } = await cluster('none');
    const before = (await send(`${url}/items/7`)).body.name as string;
    await warmEveryWorker(url, primary, 7);

    const patched = await send(`${url}/items/7`, { method: 'PATCH', body: { name: 'Renamed by one worker' } });
    expect(patched.status).toBe(200);
    const other = await sendUntil(`${url}/items/7`, (pid) => pid !== patched.pid);

    expect(other.body.name).toBe(before);
    // The writer's own cache was invalidated: it serves the new name.
    const writer = await sendUntil(`${url}/items/7`, (pid) => pid === patched.pid);
    expect(writer.body.name).toBe('Renamed by one worker');
  }, 60_000);

  it('with invalidations broadcast through the primary, every worker serves the PATCHed item', async () => {
    const { primary, url } = await cluster('broadcast');
    await warmEveryWorker(url, primary, 7);

    const patched = await send(`${url}/items/7`, { method: 'PATCH', body: { name: 'Renamed by one worker' } });
    expect(patched.status).toBe(200);
    const other = await sendUntil(`${url}/items/7`, (pid) => pid !== patched.pid);

    expect(other.body.name).toBe('Renamed by one worker');
  }, 60_000);

  it('a DELETE on one worker is a 404 on the others at once, and cached lists drop the item', async () => {
    const { primary, url } = await cluster('broadcast');
    await warmEveryWorker(url, primary, 9);
    for (const pid of primary.workers().map((w) => w.pid)) {
      await sendUntil(`${url}/items?limit=10`, (p) => p === pid);
    }

    const deleted = await send(`${url}/items/9`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const other = await sendUntil(`${url}/items/9`, (pid) => pid !== deleted.pid);
    expect(other.status).toBe(404);
    const list = await sendUntil(`${url}/items?limit=10`, (pid) => pid !== deleted.pid);
    expect(list.body.items.map((i: { id: number }) => i.id)).not.toContain(9);
  }, 60_000);
});
