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
  repo: ItemsRepository,
  channel: InvalidationChannel | undefined,
  options: Omit<CachedStoreOptions, 'onWrite'> = {},
): CoherentStore {
  let published: Promise<void>[] = [];
  const cached = createCachedStore(repo, {
    ...options,
    // LESSON: the cache tells us about each local write; we tell every other worker.
    onWrite: channel ? (change) => { published.push(channel.publish(change)) } : undefined,
  });
  channel?.subscribe((change) => cached.invalidate(change));

  // Responds only after the other workers have applied the write: read-your-writes from any
  // worker. better-sqlite3 is synchronous, so onWrite has run by the time the call returns.
  async function afterWrite<T>(result: T | Promise<T>): Promise<T> {
    const value = await result;
    const waits = published;
    published = [];
    await Promise.all(waits);
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
