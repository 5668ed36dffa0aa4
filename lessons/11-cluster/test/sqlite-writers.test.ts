/**
 * Several processes writing one SQLite file: WAL lets readers go on while one writes, and a
 * writer that meets another process's lock waits for it with timers, so the worker's event
 * loop keeps serving meanwhile (SQLite's busy_timeout would sleep on it). Nothing reaches a
 * client as a 500.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@course/shared';
import { send, sendUntil, startLoad, startTestCluster, withTimeout, type TestCluster } from './helpers.ts';

describe('SQLite with several writer processes', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  }, 30_000);

  async function cluster(name: string, options: Parameters<typeof startTestCluster>[2] = {}): Promise<TestCluster> {
    const running = await startTestCluster(name, 200, options);
    cleanups.push(running.stop);
    return running;
  }

  it('concurrent PATCH and POST from both workers all succeed: no SQLITE_BUSY reaches a client', async () => {
    const { url, dbPath } = await cluster('writers');
    const load = startLoad(url, 12, (id) => {
      if (id % 3 === 0) return { path: '/items', method: 'POST', body: { sku: `W-${id}`, name: `Written ${id}`, category: 'tools', priceCents: 100 + id } };
      if (id % 3 === 1) return { path: `/items/${(id % 50) + 1}`, method: 'PATCH', body: { priceCents: 1000 + id } };
      return { path: `/items/${(id % 50) + 1}` };
    });
    await withTimeout(load.settled(300), 60_000, 'load');
    const outcomes = await load.stop();

    const writes = outcomes.filter((o) => o.id % 3 !== 2);
    expect(writes.length).toBeGreaterThan(20);
    expect(new Set(outcomes.map((o) => o.pid)).size).toBe(2);
    expect(outcomes.filter((o) => o.error !== undefined || (o.status ?? 500) >= 400)).toEqual([]);
    // Every acknowledged POST is in the file.
    const db = openDatabase(dbPath);
    try {
      const created = (db.prepare("SELECT count(*) AS n FROM items WHERE sku LIKE 'W-%'").get() as { n: number }).n;
      expect(created).toBe(outcomes.filter((o) => o.id % 3 === 0).length);
    } finally {
      db.close();
    }
  }, 150_000);

  it('while a write waits for another process\'s lock, the same worker keeps answering reads; the write then succeeds', async () => {
    // One worker, so every request reaches the process whose write waits; a long budget, so
    // only the COMMIT below can end the wait.
    const { url, dbPath } = await cluster('busy-wait', { workers: 1, env: { BUSY_TIMEOUT_MS: '60000' } });
    const holder = openDatabase(dbPath);
    // Should the test fail while holding the lock, release it first: the worker waits for it.
    cleanups.push(() => { if (holder.inTransaction) holder.exec('ROLLBACK'); holder.close(); });
    holder.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    let settled = false;
    const pending = send(`${url}/items/3`, { method: 'PATCH', body: { name: 'Waited for the lock' }, timeoutMs: 90_000 })
      .finally(() => { settled = true; });

    // Reads on the worker, until one of them shows the PATCH waiting for the lock. With
    // SQLite's busy_timeout the worker's thread sleeps inside the PATCH, and no read is
    // answered until the wait ends: none would ever see it waiting.
    let waitingSeen = false;
    const deadline = Date.now() + 30_000;
    while (!waitingSeen && !settled && Date.now() < deadline) {
      const metrics = await send(`${url}/metrics`, { timeoutMs: 30_000 }).catch(() => undefined);
      waitingSeen = !settled && metrics?.body?.custom?.sqliteBusy?.waiting === 1;
    }
    expect(waitingSeen, 'a read answered while the PATCH waited for the lock').toBe(true);
    const read = await send(`${url}/items/2`, { timeoutMs: 30_000 });
    expect(read.status).toBe(200);
    expect(settled, 'the PATCH was still waiting when the item read was answered').toBe(false);

    holder.exec('COMMIT');
    const reply = await pending;
    expect(reply.status).toBe(200);
    expect(reply.body.name).toBe('Waited for the lock');
  }, 150_000);

  it('past BUSY_TIMEOUT_MS a write gets 503 UNAVAILABLE, never a 500, and the worker keeps serving', async () => {
    const { url, dbPath } = await cluster('busy-fail', { env: { BUSY_TIMEOUT_MS: '0' } });
    const holder = openDatabase(dbPath);
    cleanups.push(() => { holder.close(); });
    holder.exec('BEGIN IMMEDIATE');
    let reply;
    try {
      reply = await send(`${url}/items/3`, { method: 'PATCH', body: { name: 'No lock' } });
    } finally {
      holder.exec('ROLLBACK');
    }

    expect(reply.status).toBe(503);
    expect(reply.body.error.code).toBe('UNAVAILABLE');
    expect(JSON.stringify(reply.body)).not.toMatch(/SQLITE|at \w+ \(/);
    const again = await sendUntil(`${url}/items/3`, (pid) => pid === reply.pid, { method: 'PATCH', body: { name: 'Lock free' } });
    expect(again.status).toBe(200);
  }, 150_000);
});
