/**
 * Both cache designs, two "hosts" each (two apps with their own caches and connections, in this
 * process), on a real PostgreSQL and Redis: a read through one after a write through the
 * other is never stale. A control without invalidation shows the test can see staleness.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
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

  it('a malformed message on the channel is ignored and logged, and the caches keep working', async () => {
    const lines: string[] = [];
    const channels = await Promise.all([0, 1].map(async () => {
      const channel = createRedisInvalidationChannel(redis.url, { channel: 'malformed-test', log: (line) => lines.push(line) });
      await channel.ready;
      cleanups.push(() => channel.close());
      return channel;
    }));
    const applied: unknown[] = [];
    channels[1]!.subscribe((change) => applied.push(change));
    const raw = new Redis(redis.url);
    try {
      for (const text of ['not json', 'null', '{"origin":1}', '{"origin":"x","seq":1,"change":{"kind":"item"}}']) {
        await raw.publish('malformed-test', text);
      }
    } finally {
      await raw.quit();
    }
    await channels[0]!.publish({ kind: 'item', id: 9 });
    expect(applied).toEqual([{ kind: 'item', id: 9 }]);
    expect(channels[1]!.stats()).toMatchObject({ malformed: 4, applied: 1 });
    expect(lines.filter((line) => line.includes('ignored a malformed message'))).toHaveLength(8); // 4 each
  });

  /** A TCP relay to Redis that the test can cut (every connection dropped, new ones refused) and restore. */
  async function cuttableRelay(): Promise<{ url: string; cut(): void; restore(): Promise<void>; close(): Promise<void> }> {
    const target = new URL(redis.url);
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = connect({ host: target.hostname, port: Number(target.port) });
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => { sockets.delete(socket); client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const url = new URL(redis.url);
    url.port = String(port);
    return {
      url: url.toString(),
      cut: () => { server.close(); for (const socket of sockets) socket.destroy(); },
      restore: async () => { server.listen(port, '127.0.0.1'); await once(server, 'listening'); },
      close: async () => { for (const socket of sockets) socket.destroy(); if (server.listening) await new Promise((resolve) => server.close(resolve)); },
    };
  }

  const until = async (what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`not ${what} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('a cache whose subscription is down stops serving cached items until it has resubscribed', async () => {
    const repo = createPgItemsRepository(pool);
    const relay = await cuttableRelay();
    cleanups.push(() => relay.close());
    const stores: ReturnType<typeof createLocalCoherentStore>[] = [];
    const channels: RedisInvalidationChannel[] = [];
    const [a, b] = await twoHosts(async () => {
      // A talks to Redis directly, B through the relay the test cuts.
      const channel = createRedisInvalidationChannel(channels.length === 0 ? redis.url : relay.url, { channel: 'cut-test', ackTimeoutMs: 300 });
      await channel.ready;
      cleanups.push(() => channel.close());
      channels.push(channel);
      const store = createLocalCoherentStore(repo, channel);
      stores.push(store);
      return store;
    });
    const [, channelB] = channels as [RedisInvalidationChannel, RedisInvalidationChannel];
    const read = async (url: string): Promise<number> => (await requestJson(`${url}/items/11`)).body.priceCents;

    await read(b); // B has item 11 cached now
    relay.cut();
    // Redis has dropped B's subscription, and B's own connection has seen the cut.
    const probe = new Redis(redis.url);
    try {
      for (let subscribers = 2; subscribers !== 1;) subscribers = Number(((await probe.pubsub('NUMSUB', 'cut-test')) as [string, number])[1]);
    } finally {
      await probe.quit();
    }
    await until('noticed by B', () => channelB.isLive?.() !== true);
    expect((await requestJson(`${a}/items/11`, { method: 'PATCH', body: { priceCents: 4242 } })).status).toBe(200);
    expect(await read(b)).toBe(4242);
    expect(stores[1]!.stats().bypassed).toBeGreaterThan(0);

    await relay.restore();
    await until('resubscribed', () => channelB.isLive?.() !== false);
    expect((await requestJson(`${a}/items/11`, { method: 'PATCH', body: { priceCents: 4343 } })).status).toBe(200);
    expect(await read(b)).toBe(4343);
    // Served from B's cache again: a hit, not a bypass.
    const before = stores[1]!.stats();
    expect(await read(b)).toBe(4343);
    expect(stores[1]!.stats().hits).toBe((before.hits ?? 0) + 1);
    expect(stores[1]!.stats().bypassed).toBe(before.bypassed);
  });

  it('a read already in flight in another cache while a write lands is not stale after the write is acknowledged', async () => {
    const repo = createPgItemsRepository(pool);
    let hold: Promise<void> | undefined;
    let release!: () => void;
    let loaded!: () => void;
    const loadedOld = new Promise<void>((resolve) => { loaded = resolve; });
    const [a, b] = await twoHosts(async () => {
      const channel = createRedisInvalidationChannel(redis.url, { channel: 'in-flight-test' });
      await channel.ready;
      cleanups.push(() => channel.close());
      // twoHosts builds A's store first, then B's: only B's reads are held.
      const isA = hold === undefined;
      hold ??= new Promise<void>((resolve) => { release = resolve; });
      return createLocalCoherentStore(isA ? repo : {
        ...repo,
        get: async (id: number) => {
          const item = await repo.get(id);
          loaded();
          await hold;
          return item;
        },
      } as typeof repo, channel);
    });
    const before = (await requestJson(`${a}/items/12`)).body.priceCents as number;
    const inFlight = requestJson(`${b}/items/12`); // B's query has run; its answer is held
    await loadedOld;
    expect((await requestJson(`${a}/items/12`, { method: 'PATCH', body: { priceCents: before + 1 } })).status).toBe(200);
    release();
    // It asked before the write finished: the old row is a correct answer for it…
    expect((await inFlight).body.priceCents).toBe(before);
    // …but it must not have been kept: every read after the acknowledged write is fresh.
    expect((await requestJson(`${b}/items/12`)).body.priceCents).toBe(before + 1);
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
