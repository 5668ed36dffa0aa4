/**
 * Lesson 03's cache, made coherent across cluster workers.
 *
 * Each worker has its own lru-cache in its own heap. Without help, a PATCH handled by worker A
 * refreshes A's cache only; worker B keeps answering the old item until its TTL expires.
 * Here every local write is published through the primary, and the write's response waits
 * until every other worker has dropped the entries it touched.
 */
import type { EncodedItem, ItemsRepository, ItemsStore } from '@course/shared';
import { createCachedStore, type CachedStoreOptions, type CacheStats } from './cache.ts';
import type { InvalidationChannel } from './invalidation-channel.ts';

/** An items store whose cache other workers' writes can invalidate. */
export interface CoherentStore extends ItemsStore {
  getEncoded(id: number): Promise<EncodedItem | undefined>;
  /** A cached entry for the hot path (shared's withHotItemReads); invalidated with the rest. */
  peekEncoded(id: number): EncodedItem | undefined;
  stats(): CacheStats;
}

/**
 * Wraps `repo` in lesson 03's cache. With a `channel`, writes are broadcast and awaited;
 * without one (a single process, or the deliberately broken cluster) the cache is local.
 */
export function createCoherentStore(
  repo: ItemsRepository | ItemsStore,
  channel: InvalidationChannel | undefined,
  options: Omit<CachedStoreOptions, 'onWrite'> = {},
): CoherentStore {
  // Publishes not yet acknowledged. A write's own publish is added (by onWrite, synchronously
  // after the write committed) before the write's promise resolves, so it is in here, or
  // already settled, when afterWrite looks: each write waits for its own, and maybe others'.
  const pending = new Set<Promise<void>>();
  const cached = createCachedStore(repo, {
    ...options,
    // LESSON: the cache tells us about each local write; we tell every other worker.
    onWrite: channel ? (change) => {
      const published = channel.publish(change).finally(() => pending.delete(published));
      pending.add(published);
    } : undefined,
  });
  channel?.subscribe((change) => cached.invalidate(change));

  // Responds only after the other workers have applied the write: read-your-writes from any
  // worker.
  async function afterWrite<T>(result: T | Promise<T>): Promise<T> {
    const value = await result;
    await Promise.all(pending);
    return value;
  }

  return {
    get: (id) => cached.get(id),
    getEncoded: (id) => cached.getEncoded(id),
    peekEncoded: (id) => cached.peekEncoded(id),
    list: (query) => cached.list(query),
    categoryStats: () => cached.categoryStats(),
    create: (input) => afterWrite(cached.create(input)),
    update: (id, patch) => afterWrite(cached.update(id, patch)),
    delete: (id) => afterWrite(cached.delete(id)),
    stats: () => cached.stats(),
  };
}
