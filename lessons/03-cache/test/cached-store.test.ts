import { describe, expect, it } from 'vitest';
import { createItemsRepository, encodeItem } from '@course/shared';
import { createTestDatabase } from '@course/shared/testing';
import { approximateBytes, createCachedStore, type Invalidation } from '../src/index.ts';
import { spyOn } from './spy.ts';

function setup(seedCount = 20) {
  const db = createTestDatabase(seedCount);
  const spy = spyOn(createItemsRepository(db));
  return { db, ...spy };
}

describe('createCachedStore', () => {
  it('serves a repeated read from the cache and counts hits and misses', async () => {
    const { repo, calls } = setup();
    const store = createCachedStore(repo);
    const first = await store.get(3);
    const second = await store.get(3);
    expect(second).toEqual(first);
    expect(calls.get).toBe(1);
    expect(store.stats()).toEqual({ hits: 1, misses: 1, size: 1, bytes: approximateBytes(first, 3), fetches: 1 });
  });

  it('expires an entry after ttlMs on the injected clock, not before', async () => {
    const { repo, calls } = setup();
    let now = 1_000;
    const store = createCachedStore(repo, { ttlMs: 500, perf: { now: () => now } });
    await store.categoryStats();
    now += 500; // exactly the TTL: still fresh
    await store.categoryStats();
    expect(calls.categoryStats).toBe(1);
    now += 1;
    await store.categoryStats();
    expect(calls.categoryStats).toBe(2);
  });

  it('holds at most max entries, evicting the least recently used', async () => {
    const { repo, calls } = setup();
    const store = createCachedStore(repo, { max: 2 });
    await store.get(1);
    await store.get(2);
    await store.get(1); // 1 is now the most recently used
    await store.get(3); // evicts 2
    expect(store.stats().size).toBe(2);
    await store.get(1);
    expect(calls.get).toBe(3);
    await store.get(2);
    expect(calls.get).toBe(4);
  });

  it('keeps its estimated bytes under maxBytes while a client walks ?offset= page by page', async () => {
    const { repo, calls } = setup(2000);
    const maxBytes = 64 * 1024;
    const store = createCachedStore(repo, { maxBytes });
    let largest = 0;
    for (let offset = 0; offset < 2000; offset += 100) {
      const page = await store.list({ limit: 100, offset });
      expect(page).toHaveLength(100);
      const { bytes } = store.stats();
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThanOrEqual(maxBytes);
      largest = Math.max(largest, bytes);
    }
    // Twenty 100-item pages (~20 KB of JSON each) cannot all fit: older pages were evicted,
    // so walking back to the first page goes to the database again.
    const pageBytes = approximateBytes(await repo.list({ limit: 100, offset: 0 }), 'x');
    expect(pageBytes).toBeGreaterThan(10_000);
    expect(store.stats().size).toBeLessThan(20);
    expect(largest).toBeGreaterThan(maxBytes - 2 * pageBytes);
    const before = calls.list;
    await store.list({ limit: 100, offset: 0 });
    expect(calls.list).toBe(before + 1);
  });

  it('does not cache an unknown id, so a later create of it is seen', async () => {
    const { repo, calls } = setup(0);
    const store = createCachedStore(repo);
    expect(await store.get(1)).toBeUndefined();
    const created = await store.create({ sku: 'A-1', name: 'Lamp', category: 'books', priceCents: 100 });
    expect(await store.get(created.id)).toEqual(created);
    expect(calls.get).toBe(2);
  });

  it('drops the item, the aggregates and the pages on a write, and reports it through onWrite', async () => {
    const { repo, calls } = setup();
    const changes: Invalidation[] = [];
    const store = createCachedStore(repo, { onWrite: (change) => changes.push(change) });
    await store.get(5);
    await store.get(6);
    await store.categoryStats();
    await store.list({ limit: 5 });
    const updated = await store.update(5, { name: 'Renamed' });

    expect(changes).toEqual([{ kind: 'item', id: 5 }]);
    expect(await store.get(5)).toEqual(updated);
    await store.get(6); // untouched by the write: still cached
    await store.categoryStats();
    await store.list({ limit: 5 });
    expect(calls).toEqual({ get: 3, categoryStats: 2, list: 2 });
  });

  it('does not report a write that changed nothing (unknown id)', async () => {
    const { repo } = setup();
    const changes: Invalidation[] = [];
    const store = createCachedStore(repo, { onWrite: (change) => changes.push(change) });
    expect(await store.update(999, { name: 'x' })).toBeUndefined();
    expect(await store.delete(999)).toBe(false);
    expect(changes).toEqual([]);
  });

  it('invalidate() from elsewhere drops entries without calling onWrite', async () => {
    const { repo, calls } = setup();
    const changes: Invalidation[] = [];
    const store = createCachedStore(repo, { onWrite: (change) => changes.push(change) });
    await store.get(1);
    await store.get(2);
    store.invalidate({ kind: 'item', id: 1 });
    await store.get(1);
    await store.get(2);
    expect(calls.get).toBe(3);
    store.invalidate({ kind: 'all' });
    expect(store.stats().size).toBe(0);
    expect(changes).toEqual([]);
  });

  it('keys pages by their query, whatever order the query was written in', async () => {
    const { db, repo, calls } = setup(200);
    // A category with at least 4 items in the seed, so every page below is full.
    const { category } = db.prepare('SELECT category FROM items GROUP BY category HAVING count(*) >= 4 ORDER BY category LIMIT 1').get() as { category: string };
    const store = createCachedStore(repo);
    const a = await store.list({ limit: 3, category });
    const b = await store.list({ category, limit: 3 });
    const c = await store.list({ category, limit: 4 });
    expect(a).toHaveLength(3);
    expect(b).toEqual(a);
    expect(c).toHaveLength(4);
    expect(c.slice(0, 3)).toEqual(a);
    expect(calls.list).toBe(2);
  });

  it('coalesces concurrent misses for one key into one load from an asynchronous source', async () => {
    const db = createTestDatabase(20);
    const { repo, calls } = spyOn(createItemsRepository(db), 20);
    const store = createCachedStore(repo);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.categoryStats()));
    expect(calls.categoryStats).toBe(1);
    for (const r of results) expect(r).toEqual(results[0]);
    expect(store.stats()).toMatchObject({ hits: 0, misses: 20, fetches: 1 });
  });

  it('does not keep a value loaded before a write that landed while the load was in flight', async () => {
    const db = createTestDatabase(20);
    const { repo, calls } = spyOn(createItemsRepository(db), 20);
    const store = createCachedStore(repo);
    const inFlight = store.get(4); // reads the row now, answers 20 ms later
    await store.update(4, { name: 'Changed meanwhile' });
    expect((await inFlight)?.name).not.toBe('Changed meanwhile');
    expect((await store.get(4))?.name).toBe('Changed meanwhile');
    expect(calls.get).toBe(2);
  });

  it('keeps an item as the JSON bytes and ETag a hit sends, encoded once and dropped by a write', async () => {
    const { repo, calls } = setup();
    const store = createCachedStore(repo);
    expect(store.peekEncoded(5)).toBeUndefined(); // peek never loads
    expect(calls.get).toBe(0);
    const entry = await store.getEncoded(5);
    expect(entry!.body.toString()).toBe(JSON.stringify(entry!.item));
    expect(entry!.etag).toBe(encodeItem(entry!.item).etag);
    // A hit, by either read, is the very same entry: nothing is serialized again.
    expect(store.peekEncoded(5)).toBe(entry);
    expect(await store.getEncoded(5)).toBe(entry);
    expect(store.stats()).toMatchObject({ hits: 2, misses: 1, fetches: 1 });
    await store.update(5, { name: 'Renamed' });
    expect(store.peekEncoded(5)).toBeUndefined();
    expect(JSON.parse((await store.getEncoded(5))!.body.toString()).name).toBe('Renamed');
  });
});
