/**
 * Overload and outages answered quickly: a full PostgreSQL pool, a statement that cannot finish
 * and an unreachable Redis give a fast 503 JSON (or, for the cache, a read from the database),
 * never a request queued without bound or a slow 500.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ItemsStore } from '@course/shared';
import { listen } from '@course/shared/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCacheStore, sharedCacheRedisOptions } from '../src/cache/redis-cache-store.ts';
import { requireEngineBinaries } from '../src/engines/binaries.ts';
import { freePort } from '@course/shared/tools';
import { startPostgres, type RunningPostgres } from '../src/engines/postgres.ts';
import { scratchDir } from '../src/engines/scratch.ts';
import { createHostApp } from '../src/host-app.ts';
import { loadHostConfig } from '../src/host-config.ts';
import { createPgItemsRepository } from '../src/items/pg-items-repository.ts';
import { createPgPool } from '../src/items/pg-pool.ts';
import { preparePgDatabase } from '../src/items/pg-schema.ts';
import { skipWithoutEngines } from './engines-gate.ts';

/** GET with a generous bound: a request the server queues forever fails the test, not hangs it. */
async function get(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: await res.json() };
}

describe.skipIf(skipWithoutEngines())('backpressure on PostgreSQL and Redis', () => {
  let dir: string;
  let postgres: RunningPostgres;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    dir = scratchDir('pressure');
    postgres = await startPostgres({ ...requireEngineBinaries(), dir: join(dir, 'pg'), port: await freePort(), maxConnections: 20 });
    const seed = new pg.Pool({ connectionString: postgres.url, max: 1 });
    await preparePgDatabase(seed, 20);
    await seed.end();
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await postgres?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A host app on a pool built as a worker builds it (src/worker.ts), with `overrides`. */
  async function server(overrides: Record<string, string>, wrap: (repo: ItemsStore) => ItemsStore = (r) => r): Promise<{ url: string; pool: pg.Pool }> {
    const config = loadHostConfig({ PG_URL: postgres.url, REDIS_URL: 'redis://unused', ...overrides });
    const pool = createPgPool(config, () => {});
    const repo = createPgItemsRepository(pool, { maxWaiting: config.poolQueueMax });
    const running = await listen(createHostApp({ store: wrap(repo), hostName: 'test', isDraining: () => false }));
    cleanups.push(async () => { await running.close(); await pool.end(); });
    return { url: running.url, pool };
  }

  it('answers 503 JSON at once when every connection is busy and the wait queue is full', async () => {
    const { url, pool } = await server({ POOL_MAX: '1', POOL_QUEUE_MAX: '1', POOL_WAIT_MS: '600000' });
    const held = await pool.connect(); // the pool's only connection, busy until released
    let released = false;
    try {
      const queued = get(`${url}/items/1`); // waits in the queue (1 of 1)
      while (pool.waitingCount < 1) await new Promise((resolve) => setTimeout(resolve, 10));
      const refused = await get(`${url}/items/2`);
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('queue') });
      held.release();
      released = true;
      expect((await queued).status).toBe(200);
    } finally {
      if (!released) held.release();
    }
  });

  it('answers 503 when no connection becomes free within POOL_WAIT_MS', async () => {
    const { url, pool } = await server({ POOL_MAX: '1', POOL_WAIT_MS: '300' });
    const held = await pool.connect();
    try {
      const res = await get(`${url}/items/1`);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('UNAVAILABLE');
    } finally {
      held.release();
    }
  });

  it('answers 503 when a statement runs past STATEMENT_TIMEOUT_MS (PostgreSQL cancels it)', async () => {
    const { url } = await server({ POOL_MAX: '1', STATEMENT_TIMEOUT_MS: '300' });
    // Another session holds the table: the read waits on its lock until cancelled.
    const locker = new pg.Client({ connectionString: postgres.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE items IN ACCESS EXCLUSIVE MODE');
      const res = await get(`${url}/items/1`);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('UNAVAILABLE');
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      await locker.end();
    }
    expect((await get(`${url}/items/1`)).status).toBe(200);
  });

  it('with Redis unreachable, the shared cache reads from the database instead of failing', async () => {
    const lines: string[] = [];
    // Nothing listens on this port: the state of a Redis that is down.
    const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, { ...sharedCacheRedisOptions, lazyConnect: false });
    redis.on('error', () => {});
    cleanups.push(async () => redis.disconnect());
    let store: ReturnType<typeof createRedisCacheStore> | undefined;
    const { url } = await server({}, (repo) => (store = createRedisCacheStore(repo, redis, { log: (line) => lines.push(line) })));
    const directPool = new pg.Pool({ connectionString: postgres.url, max: 1 });
    cleanups.push(() => directPool.end());
    const direct = createPgItemsRepository(directPool);
    for (const id of [3, 4, 3]) {
      const res = await get(`${url}/items/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(JSON.parse(JSON.stringify(await direct.get(id))));
    }
    expect(store!.stats()).toMatchObject({ hits: 0, cacheErrors: 3 });
    expect(lines.filter((line) => line.startsWith('shared cache unavailable'))).toHaveLength(1);
  });
});
