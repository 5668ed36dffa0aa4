import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { createItemsRepository, migrate, migrations, type Database, type ItemsRepository } from '../src/index.ts';
import { createTestDatabase } from '../src/testing.ts';

describe('items repository', () => {
  let db: Database;
  let repo: ItemsRepository;
  const fixed = new Date('2026-01-02T03:04:05.000Z');

  beforeEach(() => {
    db = createTestDatabase(500);
    repo = createItemsRepository(db, { now: () => fixed });
  });
  afterEach(() => db.close());

  it('creates, reads, updates and deletes an item', () => {
    const created = repo.create({ sku: 'NEW-1', name: 'Kettle', category: 'kitchen', priceCents: 1999, tags: ['eco'] });
    expect(created).toMatchObject({ sku: 'NEW-1', tags: ['eco'], createdAt: fixed.toISOString() });
    expect(repo.get(created.id)).toEqual(created);
    expect(repo.update(created.id, { priceCents: 1500 })).toMatchObject({ priceCents: 1500, name: 'Kettle' });
    expect(repo.delete(created.id)).toBe(true);
    expect(repo.get(created.id)).toBeUndefined();
    expect(repo.delete(created.id)).toBe(false);
    expect(repo.update(created.id, { name: 'x' })).toBeUndefined();
  });

  it('rejects a duplicate sku with a 409 naming the field', () => {
    expect(() => repo.create({ sku: 'SKU-000001', name: 'x', category: 'c', priceCents: 1 }))
      .toThrow(expect.objectContaining({ status: 409, details: [expect.objectContaining({ field: 'sku' })] }));
  });

  it('inserts all or none in createMany', () => {
    const before = repo.count();
    expect(() => repo.createMany([
      { sku: 'BATCH-1', name: 'a', category: 'c', priceCents: 1 },
      { sku: 'SKU-000002', name: 'dup', category: 'c', priceCents: 1 },
    ])).toThrow();
    expect(repo.count()).toBe(before);
  });

  it('returns the same rows through offset and keyset pagination', () => {
    const byOffset = repo.list({ limit: 10, offset: 200 });
    const byKeyset = repo.list({ limit: 10, afterId: byOffset[0]!.id - 1 });
    expect(byKeyset).toEqual(byOffset);
    expect(byOffset.map((i) => i.id)).toEqual([...Array(10).keys()].map((k) => 201 + k));
  });

  it('filters by category, price range and tag with bound parameters', () => {
    const books = repo.list({ category: 'books', minPriceCents: 10_000, maxPriceCents: 50_000, tag: 'sale', limit: 100 });
    expect(books.length).toBeGreaterThan(0);
    for (const item of books) {
      expect(item.category).toBe('books');
      expect(item.priceCents).toBeGreaterThanOrEqual(10_000);
      expect(item.priceCents).toBeLessThanOrEqual(50_000);
      expect(item.tags).toContain('sale');
    }
    expect(repo.count({ category: "books' OR 1=1 --" })).toBe(0);
  });

  it('aggregates per category over the whole table', () => {
    const stats = repo.categoryStats();
    expect(stats.reduce((sum, s) => sum + s.count, 0)).toBe(500);
    for (const s of stats) expect(s.minPriceCents).toBeLessThanOrEqual(s.maxPriceCents);
  });

  it('never reuses the id of a deleted item, even the newest one', () => {
    const newest = repo.create({ sku: 'NEW-1', name: 'Newest', category: 'books', priceCents: 100 });
    expect(repo.delete(newest.id)).toBe(true);
    const next = repo.create({ sku: 'NEW-2', name: 'Next', category: 'books', priceCents: 100 });
    expect(next.id).toBe(newest.id + 1);
    expect(repo.get(newest.id)).toBeUndefined();
  });
});

describe('migrating a database made before ids were never reused (schema 1)', () => {
  it('keeps every row and its id, and stops reusing ids from then on', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      db.exec(migrations[0]!);
      db.pragma('user_version = 1');
      const insert = db.prepare(`INSERT INTO items (sku, name, category, price_cents, tags, created_at, updated_at)
                                 VALUES (?, 'Old', 'books', 100, '[]', 't', 't')`);
      for (const sku of ['A', 'B', 'C']) insert.run(sku);
      db.prepare('DELETE FROM items WHERE id = 3').run();
      // Schema 1's behaviour, the bug: the next id is max(id) + 1 = 3 again.
      expect(db.prepare("INSERT INTO items (sku, name, category, price_cents, tags, created_at, updated_at) VALUES ('D', 'x', 'books', 1, '[]', 't', 't') RETURNING id").get()).toEqual({ id: 3 });

      expect(migrate(db)).toBe(migrations.length);
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(db.prepare('SELECT id, sku FROM items ORDER BY id').all()).toEqual([{ id: 1, sku: 'A' }, { id: 2, sku: 'B' }, { id: 3, sku: 'D' }]);
      const repo = createItemsRepository(db);
      expect(repo.delete(3)).toBe(true);
      expect(repo.create({ sku: 'E', name: 'New', category: 'books', priceCents: 1 }).id).toBe(4);
      expect(repo.list({ category: 'books', limit: 10 }).map((i) => i.id)).toEqual([1, 2, 4]);
    } finally {
      db.close();
    }
  });
});
