/**
 * Test helper: the real repository, with a count of every read that reaches it, and
 * optionally answering after a delay (an asynchronous source, like a network database).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ItemsRepository, ItemsStore } from '@course/shared';

export interface SpyRepo {
  repo: ItemsStore;
  calls: { get: number; list: number; categoryStats: number };
}

export function spyOn(inner: ItemsRepository, delayMs?: number): SpyRepo {
  const calls = { get: 0, list: 0, categoryStats: 0 };
  const answer = async <T>(value: T): Promise<T> => {
    await sleep(delayMs);
    return value;
  };
  const repo: ItemsStore = {
    get: (id) => { calls.get++; const v = inner.get(id); return delayMs === undefined ? v : answer(v); },
    list: (q) => { calls.list++; const v = inner.list(q); return delayMs === undefined ? v : answer(v); },
    categoryStats: () => { calls.categoryStats++; const v = inner.categoryStats(); return delayMs === undefined ? v : answer(v); },
    create: (input) => inner.create(input),
    update: (id, patch) => inner.update(id, patch),
    delete: (id) => inner.delete(id),
  };
  return { repo, calls };
}
