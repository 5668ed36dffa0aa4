/**
 * Design A: one cache shared by every worker of every host, in Redis (cache-aside).
 *
 * A read asks Redis first (one round trip), and on a miss asks PostgreSQL and fills Redis.
 * Nothing to keep coherent between workers, since there is one copy; the price is a network
 * round trip and a JSON parse on every hit.
 */
import type { Item, ItemsStore } from '@course/shared';
import type { Redis } from 'ioredis';
import type { StatsStore } from './local-coherent-store.ts';

/** What a deleted item's key holds, so a reader that loaded it before the delete cannot put it back. */
const tombstone = 'null';

/**
 * Caches items by id; lists and aggregates go straight to the repository (they change with
 * every write; the local design drops them all on each write, which one Redis key per page
 * could only do with a scan).
 */
export function createRedisCacheStore(repo: ItemsStore, redis: Redis, options: { ttlMs?: number; prefix?: string } = {}): StatsStore {
  const ttlMs = options.ttlMs ?? 30_000;
  const key = (id: number): string => `${options.prefix ?? 'item:'}${id}`;
  let hits = 0;
  let misses = 0;

  // LESSON: a writer SETs the new value (a delete a tombstone) and a reader filling a miss
  // uses NX (only if absent). A reader that loaded the old row just before a write can then
  // never overwrite the writer's value: the classic cache-aside race, closed for one writer.
  // Two writers racing on one item can still leave the older value until the TTL: NOTES.md.
  const written = async (id: number, item: Item | undefined): Promise<void> => {
    await redis.set(key(id), item ? JSON.stringify(item) : tombstone, 'PX', ttlMs);
  };

  return {
    async get(id) {
      const cachedText = await redis.get(key(id));
      if (cachedText !== null) {
        hits++;
        return cachedText === tombstone ? undefined : (JSON.parse(cachedText) as Item);
      }
      misses++;
      const item = await repo.get(id);
      if (item) await redis.set(key(id), JSON.stringify(item), 'PX', ttlMs, 'NX');
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
    stats: () => ({ hits, misses }),
  };
}
