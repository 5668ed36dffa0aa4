/**
 * Several processes writing one SQLite file: WAL lets readers go on while one writes, and
 * busy_timeout makes a writer wait for the lock instead of failing. Nothing reaches a
 * client as a 500.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openDatabase } from '@course/shared';
import { send, sendUntil, startLoad, startTestCluster, withTimeout, type TestCluster } from './helpers.ts';

/**
 * Resolves once process `pid`'s main thread sleeps in the kernel's nanosleep: SQLite's busy
 * handler waiting for the lock (a Node event loop waiting for I/O sits in epoll instead).
 * Linux /proc, checked every 5 ms; rejects after `timeoutMs`.
 */
async function waitingForTheLock(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let wchan = '';
  while (Date.now() < deadline) {
    wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8');
    if (/nanosleep/.test(wchan)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`worker ${pid} never waited for the lock within ${timeoutMs} ms (last wchan: ${wchan})`);
}

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

  it.runIf(process.platform === 'linux')('a write waits for another process holding the lock, then succeeds (busy_timeout)', async () => {
    // One worker, so the test knows which process the PATCH reaches; a long busy_timeout, so
    // only the COMMIT below can end the wait.
    const { primary, url, dbPath } = await cluster('busy-wait', { workers: 1, env: { BUSY_TIMEOUT_MS: '60000' } });
    const holder = openDatabase(dbPath);
    // Should the test fail while holding the lock, release it first: the worker waits for it.
    cleanups.push(() => { if (holder.inTransaction) holder.exec('ROLLBACK'); holder.close(); });
    holder.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    const pending = send(`${url}/items/3`, { method: 'PATCH', body: { name: 'Waited for the lock' }, timeoutMs: 90_000 });
    // The signal: the worker is inside SQLite's busy wait, so the PATCH reached the database
    // while the lock was held (a fixed sleep could commit before it got there).
    await waitingForTheLock(primary.workers()[0]!.pid, 60_000);
    holder.exec('COMMIT');

    const reply = await pending;
    expect(reply.status).toBe(200);
    expect(reply.body.name).toBe('Waited for the lock');
  }, 150_000);

  it('past busy_timeout a write gets 503 UNAVAILABLE, never a 500, and the worker keeps serving', async () => {
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
