/**
 * Both cache designs, two "hosts" each (two apps with their own caches and connections, in this
 * process), on a real PostgreSQL and Redis: a read through one after a write through the
 * other is never stale. A control without invalidation shows the test can see staleness.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ItemsStore, RunningServer } from '@course/shared';
import { listen, requestJson } from '@course/shared/testing';
import { Redis } from 'ioredis';
import { createCachedStore } from 'lesson-03';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCoherentStore } from '../src/cache/local-coherent-store.ts';
import { createRedisCacheStore } from '../src/cache/redis-cache-store.ts';
import { createRedisInvalidationChannel, type RedisInvalidationChannel } from 'lesson-12/redis-invalidation';
import { requireEngineBinaries } from '../src/engines/binaries.ts';
import { freePort } from '@course/shared/tools';
import { startPostgres, type RunningPostgres } from '../src/engines/postgres.ts';
import { startRedis, type RunningRedis } from '../src/engines/redis.ts';
import { createHostApp } from '../src/host-app.ts';
import { createPgItemsRepository } from '../src/items/pg-items-repository.ts';
import { preparePgDatabase } from '../src/items/pg-schema.ts';
import { scratchDir } from '../src/stack.ts';
import { skipWithoutEngines } from './engines-gate.ts';

describe.skipIf(skipWithoutEngines())('cache coherence across hosts', () => {
  let dir: string;
  let postgres: RunningPostgres;
  let redis: RunningRedis;
  let pool: pg.Pool;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const binaries = requireEngineBinaries();
    dir = scratchDir('cache');
    // One after the other: if the first fails, nothing else is running to leak.
    postgres = await startPostgres({ ...binaries, dir: join(dir, 'pg'), port: await freePort(), maxConnections: 20 });
    mkdirSync(join(dir, 'redis'), { recursive: true });
    redis = await startRedis({ ...binaries, dir: join(dir, 'redis'), port: await freePort() });
    pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
    pool.on('error', (error) => console.warn(`test pool: ${error.message}`));
    await preparePgDatabase(pool, 100);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await pool?.end();
    await Promise.all([redis?.stop(), postgres?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function twoHosts(makeStore: () => Promise<ItemsStore>): Promise<[string, string]> {
    const servers: RunningServer[] = [];
    for (const name of ['a', 'b']) {
      const server = await listen(createHostApp({ store: await makeStore(), hostName: name, isDraining: () => false }));
      cleanups.push(() => server.close());
      servers.push(server);
    }
    return [servers[0]!.url, servers[1]!.url];
  }

  /** Warms B's cache, writes through A, reads through B; returns how many reads were stale. */
  async function staleReads(a: string, b: string, id: number, rounds = 20): Promise<number> {
    let stale = 0;
    for (let i = 1; i <= rounds; i++) {
      expect((await requestJson(`${b}/items/${id}`)).status).toBe(200);
      const price = 10_000 + i;
      expect((await requestJson(`${a}/items/${id}`, { method: 'PATCH', body: { priceCents: price } })).status).toBe(200);
      if ((await requestJson(`${b}/items/${id}`)).body.priceCents !== price) stale++;
    }
    return stale;
  }

  it('control: local caches that hear nothing serve stale items', async () => {
    const repo = createPgItemsRepository(pool);
    const [a, b] = await twoHosts(async () => createCachedStore(repo));
    expect(await staleReads(a, b, 1, 5)).toBe(5);
  });

  it('local caches kept coherent through Redis pub/sub: never stale', async () => {
    const repo = createPgItemsRepository(pool);
    const [a, b] = await twoHosts(async () => {
      const channel: RedisInvalidationChannel = createRedisInvalidationChannel(redis.url);
      await channel.ready;
      cleanups.push(() => channel.close());
      return createLocalCoherentStore(repo, channel);
    });
    expect(await staleReads(a, b, 2)).toBe(0);
    // A delete through A is a 404 through B at once, too.
    expect((await requestJson(`${a}/items/3`, { method: 'DELETE' })).status).toBe(204);
    expect((await requestJson(`${b}/items/3`)).status).toBe(404);
  });

  it('one shared cache in Redis: never stale, and a deleted item is not brought back', async () => {
    const repo = createPgItemsRepository(pool);
    const [a, b] = await twoHosts(async () => {
      const client = new Redis(redis.url);
      client.on('error', (error: Error) => console.warn(`test redis client: ${error.message}`));
      cleanups.push(() => client.quit());
      return createRedisCacheStore(repo, client, { prefix: 'test-item:' });
    });
    expect(await staleReads(a, b, 4)).toBe(0);
    expect((await requestJson(`${b}/items/5`)).status).toBe(200);
    expect((await requestJson(`${a}/items/5`, { method: 'DELETE' })).status).toBe(204);
    expect((await requestJson(`${b}/items/5`)).status).toBe(404);
  });

  it('a write waits for the other caches: the channel counts their acknowledgements', async () => {
    const channels = await Promise.all([0, 1, 2].map(async () => {
      const channel = createRedisInvalidationChannel(redis.url, { channel: 'ack-test' });
      await channel.ready;
      cleanups.push(() => channel.close());
      return channel;
    }));
    const applied: number[] = [];
    channels.forEach((channel, index) => channel.subscribe(() => applied.push(index)));
    await channels[0]!.publish({ kind: 'item', id: 1 });
    // Resolved only after both other caches applied it, never by the writer's own copy.
    expect(applied.sort()).toEqual([1, 2]);
    expect(channels[0]!.stats()).toMatchObject({ published: 1, ackTimeouts: 0 });
  });
});
