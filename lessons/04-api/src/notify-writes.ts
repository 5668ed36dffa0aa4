/**
 * A store that tells the app about every successful write, so in-memory copies (the catalog)
 * can be dropped. Writes from another process (lesson 11) are not seen here.
 */
import type { ItemsStore } from '@course/shared';

/** Wraps `store`: after each create, successful update or successful delete, calls `onWrite`. */
export function notifyWrites(store: ItemsStore, onWrite: () => void): ItemsStore {
  return {
    get: (id) => store.get(id),
    list: (query) => store.list(query),
    categoryStats: () => store.categoryStats(),
    create: async (input) => {
      const item = await store.create(input);
      onWrite();
      return item;
    },
    update: async (id, patch) => {
      const item = await store.update(id, patch);
      if (item) onWrite();
      return item;
    },
    delete: async (id) => {
      const deleted = await store.delete(id);
      if (deleted) onWrite();
      return deleted;
    },
  };
}
