/**
 * Design A: one cache shared by every worker of every host, in Redis (cache-aside).
 *
 * A read asks Redis first (one round trip), and on a miss asks PostgreSQL and fills Redis.
 * Nothing to keep coherent between workers, since there is one copy; the price is a network
 * round trip and a JSON parse on every hit.
 */
import type { Item, ItemsStore } from '@course/shared';
import type { Redis, RedisOptions } from 'ioredis';
import type { StatsStore } from './local-coherent-store.ts';

/**
 * The shared cache's client options. LESSON: a cache must fail fast: no offline queue (a
 * command while disconnected fails at once), one retry, 500 ms per command. A read whose
 * cache fails goes to the database instead; the default (queue, 20 retries) made every read a
 * slow 500 while Redis was down.
 */
export const sharedCacheRedisOptions: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 };

/** What a deleted item's key holds, so a reader that loaded it before the delete cannot put it back. */
const tombstone = 'null';

/**
 * Caches items by id; lists and aggregates go straight to the repository (they change with
 * every write; the local design drops them all on each write, which one Redis key per page
 * could only do with a scan).
 */
export function createRedisCacheStore(repo: ItemsStore, redis: Redis, options: { ttlMs?: number; prefix?: string; log?: (line: string) => void } = {}): StatsStore {
  const ttlMs = options.ttlMs ?? 30_000;
  const key = (id: number): string => `${options.prefix ?? 'item:'}${id}`;
  const log = options.log ?? console.warn;
  let hits = 0;
  let misses = 0;
  let cacheErrors = 0;
  // One line per outage, not one per request.
  let failing = false;
  const cacheFailed = (error: unknown): undefined => {
    cacheErrors++;
    if (!failing) log(`shared cache unavailable (${(error as Error).message}): reading from the database`);
    failing = true;
    return undefined;
  };
  const cacheOk = <T>(value: T): T => { failing = false; return value; };

  // LESSON: a writer SETs the new value (a delete a tombstone) and a reader filling a miss
  // uses NX (only if absent). A reader that loaded the old row just before a write can then
  // never overwrite the writer's value: the classic cache-aside race, closed for one writer.
  // Two writers racing on one item can still leave the older value until the TTL: NOTES.md.
  // A write the cache did not take (Redis down) is committed all the same; NOTES.md says what
  // that can leave behind.
  const written = async (id: number, item: Item | undefined): Promise<void> => {
    await redis.set(key(id), item ? JSON.stringify(item) : tombstone, 'PX', ttlMs).then(cacheOk, cacheFailed);
  };

  return {
    async get(id) {
      const cachedText = await redis.get(key(id)).then(cacheOk, cacheFailed);
      if (cachedText !== null && cachedText !== undefined) {
        hits++;
        return cachedText === tombstone ? undefined : (JSON.parse(cachedText) as Item);
      }
      misses++;
      const item = await repo.get(id);
      // LESSON: the cache unavailable is a slower read, not a failed one: skip filling it.
      if (item && cachedText === null) await redis.set(key(id), JSON.stringify(item), 'PX', ttlMs, 'NX').then(cacheOk, cacheFailed);
      return item;
    },
    list: (query) => repo.list(query),
    categoryStats: () => repo.categoryStats(),
    async create(input) {
      const item = await repo.create(input);
      await written(item.id, item);
      return item;
    },
    async update(id, patch) {
      const item = await repo.update(id, patch);
      if (item) await written(id, item);
      return item;
    },
    async delete(id) {
      const deleted = await repo.delete(id);
      if (deleted) await written(id, undefined);
      return deleted;
    },
    stats: () => ({ hits, misses, cacheErrors }),
  };
}
