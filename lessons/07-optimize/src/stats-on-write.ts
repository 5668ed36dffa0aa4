/**
 * Avoid needless work: the category statistics scan the whole items table, yet they only
 * change when an item is written. Compute them once, keep the result, and drop it on writes.
 *
 * This is not a TTL cache (lesson 03): the answer is never stale, because every write that
 * could change it goes through this wrapper. It only holds when all writes do: a second
 * process writing the same database would need lesson 11's invalidation messages.
 */
import type { CategoryStat, ItemsStore } from '@course/shared';

/** An ItemsStore whose `categoryStats()` is computed at most once between writes. */
export interface StatsOnWriteStore extends ItemsStore {
  /** How many times the statistics were actually computed (for /metrics and tests). */
  readonly computations: number;
}

/** Wraps `store`; reads pass through, writes invalidate the kept statistics after they succeed. */
export function statsOnWrite(store: ItemsStore): StatsOnWriteStore {
  let stats: CategoryStat[] | undefined;
  let computations = 0;
  // A generation counter guards against a stats computation that started before a write
  // finishing after it, with an async store, and storing a stale answer.
  let generation = 0;

  const invalidate = <T>(result: T): T => {
    generation++;
    stats = undefined;
    return result;
  };

  return {
    get: (id) => store.get(id),
    list: (query) => store.list(query),
    create: async (input) => invalidate(await store.create(input)),
    update: async (id, patch) => {
      const item = await store.update(id, patch);
      return item ? invalidate(item) : item;
    },
    delete: async (id) => {
      const deleted = await store.delete(id);
      return deleted ? invalidate(deleted) : deleted;
    },
    async categoryStats() {
      if (stats) return stats; // LESSON: no scan until the next write
      const started = generation;
      computations++;
      const computed = await store.categoryStats();
      if (started === generation) stats = computed;
      return computed;
    },
    get computations() { return computations; },
  };
}
