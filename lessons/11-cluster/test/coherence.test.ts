/**
 * Each worker caches items in its own heap. A write handled by one worker must not leave
 * another serving the old item: the bug with local caches, and the fix through the primary.
 */
import { describe, expect, it } from 'vitest';
import type { Primary } from '../src/primary.ts';
import { send, sendUntil, useCluster } from './helpers.ts';

/** Reads item `id` on every worker, so both caches hold it; returns the pids. */
async function warmEveryWorker(url: string, primary: Primary, id: number): Promise<number[]> {
  const pids = primary.workers().map((w) => w.pid);
  for (const pid of pids) {
    const reply = await sendUntil(`${url}/items/${id}`, (p) => p === pid);
    expect(reply.status).toBe(200);
  }
  return pids;
}

describe('cache coherence across workers, each cache on its own (CACHE_INVALIDATION=none)', () => {
  const running = useCluster('coherence-none', 100, { invalidation: 'none' });

  it('another worker serves the item as it was before the PATCH (the bug)', async () => {
    const { primary, url } = running;
    const before = (await send(`${url}/items/7`)).body.name as string;
    await warmEveryWorker(url, primary, 7);

    const patched = await send(`${url}/items/7`, { method: 'PATCH', body: { name: 'Renamed by one worker' } });
    expect(patched.status).toBe(200);
    const other = await sendUntil(`${url}/items/7`, (pid) => pid !== patched.pid);

    expect(other.body.name).toBe(before);
    // The writer's own cache was invalidated: it serves the new name.
    const writer = await sendUntil(`${url}/items/7`, (pid) => pid === patched.pid);
    expect(writer.body.name).toBe('Renamed by one worker');
  }, 30_000);
});

describe('cache coherence across workers, invalidations broadcast through the primary', () => {
  const running = useCluster('coherence-broadcast', 100, { invalidation: 'broadcast' });

  it('every worker serves the PATCHed item as soon as the PATCH has answered', async () => {
    const { primary, url } = running;
    await warmEveryWorker(url, primary, 7);

    const patched = await send(`${url}/items/7`, { method: 'PATCH', body: { name: 'Renamed by one worker' } });
    expect(patched.status).toBe(200);
    const other = await sendUntil(`${url}/items/7`, (pid) => pid !== patched.pid);

    expect(other.body.name).toBe('Renamed by one worker');
  }, 30_000);

  it('a DELETE on one worker is a 404 on the others at once, and cached lists drop the item', async () => {
    const { primary, url } = running;
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
  }, 30_000);
});
