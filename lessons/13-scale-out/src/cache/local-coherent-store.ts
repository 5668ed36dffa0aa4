/**
 * Design B: each worker keeps its own lru-cache (lesson 03's), and Redis only carries the
 * news that something changed. Reads are served from the worker's heap: no network at all.
 */
import type { ItemsStore } from '@course/shared';
import { createCachedStore, type CacheStats, type Invalidation } from 'lesson-03';
import type { InvalidationChannel } from 'lesson-11';

/** A cached store with counters for /metrics. */
export interface StatsStore extends ItemsStore {
  stats(): Record<string, number>;
}

/**
 * Wraps `repo` (asynchronous here: PostgreSQL) with a local cache that `channel` keeps coherent.
 *
 * Lesson 11's `createCoherentStore` collects the publishes of a synchronous repository in one
 * list; with an asynchronous one two concurrent writes could pick up each other's publish.
 * Here each write awaits its own.
 */
export function createLocalCoherentStore(repo: ItemsStore, channel: InvalidationChannel & { isLive?(): boolean }, options: { max?: number; ttlMs?: number } = {}): StatsStore {
  const cached = createCachedStore(repo, options);
  channel.subscribe((change) => cached.invalidate(change));
  let bypassed = 0;
  // LESSON: a cache that may be missing invalidations (its subscription is down) must not
  // answer from memory: reads go to the database until the channel is live again.
  const live = (): boolean => {
    if (channel.isLive?.() !== false) return true;
    bypassed++;
    return false;
  };

  // LESSON: the response to a write waits until every other cache has dropped the item.
  async function published<T>(value: T, change: Invalidation | undefined): Promise<T> {
    if (change) await channel.publish(change);
    return value;
  }

  return {
    get: (id) => live() ? cached.get(id) : repo.get(id),
    list: (query) => live() ? cached.list(query) : repo.list(query),
    categoryStats: () => live() ? cached.categoryStats() : repo.categoryStats(),
    create: async (input) => {
      const item = await cached.create(input);
      return published(item, { kind: 'item', id: item.id });
    },
    update: async (id, patch) => {
      const item = await cached.update(id, patch);
      return published(item, item ? { kind: 'item', id } : undefined);
    },
    delete: async (id) => {
      const deleted = await cached.delete(id);
      return published(deleted, deleted ? { kind: 'item', id } : undefined);
    },
    stats: () => ({ ...(cached.stats() satisfies CacheStats), ...channel.stats(), bypassed }),
  };
}
