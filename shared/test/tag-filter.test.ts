// `?tag=` reads from item_tags (migration 3) through its primary key: the same items as the
// JSON scan it replaced, kept right by triggers on every write, and never a scan of items.
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createItemsRepository, migrate, migrations, seedItems, type Database, type ItemFilter, type ItemsRepository, type ListQuery } from '../src/index.ts';
import { createTestDatabase } from '../src/testing.ts';

const tags = ['sale', 'new', 'eco', 'gift', 'bulk', 'premium', 'clearance', 'limited', 'nothing-has-this', 'Sale'];

/** The semantics before item_tags: a JSON scan of every row, as the repository used to run it. */
function oldIds(db: Database, query: ListQuery): number[] {
  const where = ['EXISTS (SELECT 1 FROM json_each(items.tags) WHERE value = ?)'];
  const params: unknown[] = [query.tag];
  if (query.category !== undefined) { where.push('category = ?'); params.push(query.category); }
  if (query.afterId !== undefined) { where.push('id > ?'); params.push(query.afterId); }
  const rows = db.prepare(`SELECT id FROM items WHERE ${where.join(' AND ')} ORDER BY id LIMIT ? OFFSET ?`)
    .all(...params, query.limit, query.offset ?? 0) as Array<{ id: number }>;
  return rows.map((r) => r.id);
}

function oldCount(db: Database, filter: ItemFilter): number {
  return (db.prepare('SELECT count(*) AS n FROM items WHERE EXISTS (SELECT 1 FROM json_each(items.tags) WHERE value = ?)')
    .get(filter.tag) as { n: number }).n;
}

/** Every list and count shape a tag can appear in gives what the JSON scan gives. */
function expectSameAsJsonScan(db: Database, repo: ItemsRepository): void {
  for (const tag of tags) {
    expect(repo.count({ tag }), tag).toBe(oldCount(db, { tag }));
    for (const query of [
      { tag, limit: 100 },
      { tag, limit: 7, offset: 13 },
      { tag, limit: 10, afterId: 250 },
      { tag, category: 'books', limit: 100 },
    ] satisfies ListQuery[]) {
      expect(repo.list(query).map((i) => i.id), JSON.stringify(query)).toEqual(oldIds(db, query));
    }
  }
}

describe('?tag= through item_tags', () => {
  let db: Database;
  let repo: ItemsRepository;
  beforeEach(() => {
    db = createTestDatabase(1000);
    repo = createItemsRepository(db);
  });
  afterEach(() => db.close());

  it('finds the same items as the JSON scan, after creates, updates and deletes', () => {
    expectSameAsJsonScan(db, repo);
    const a = repo.create({ sku: 'T-1', name: 'a', category: 'books', priceCents: 1, tags: ['nothing-has-this', 'eco', 'eco'] });
    const b = repo.create({ sku: 'T-2', name: 'b', category: 'books', priceCents: 1, tags: [] });
    repo.createMany([{ sku: 'T-3', name: 'c', category: 'toys', priceCents: 1, tags: ['gift'] }]);
    expect(repo.list({ tag: 'nothing-has-this', limit: 10 }).map((i) => i.id)).toEqual([a.id]);
    expect(repo.list({ tag: 'eco', limit: 100, afterId: a.id - 1 }).map((i) => i.id)).toEqual([a.id]);
    repo.update(b.id, { tags: ['nothing-has-this'] });
    repo.update(a.id, { tags: ['sale'] });
    repo.update(a.id, { name: 'renamed' });
    expect(repo.list({ tag: 'nothing-has-this', limit: 10 }).map((i) => i.id)).toEqual([b.id]);
    expect(repo.delete(b.id)).toBe(true);
    // A lesson's own SQL goes through the same triggers.
    db.prepare("UPDATE items SET tags = '[\"limited\"]' WHERE id <= 3").run();
    db.prepare('DELETE FROM items WHERE id BETWEEN 10 AND 20').run();
    expectSameAsJsonScan(db, repo);
    expect(repo.count({ tag: 'nothing-has-this' })).toBe(0);
  });

  it('never scans items or item_tags: EXPLAIN QUERY PLAN shows only searches by a key', () => {
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => { prepared.push(sql); return prepare(sql); }) as typeof db.prepare;
    repo = createItemsRepository(db);
    prepared.length = 0;
    repo.list({ tag: 'nothing-has-this', limit: 20 });
    repo.list({ tag: 'sale', limit: 20, offset: 40 });
    repo.list({ tag: 'sale', limit: 20, afterId: 500 });
    repo.count({ tag: 'nothing-has-this' });
    expect(prepared).toHaveLength(4);
    for (const sql of prepared) {
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all('sale', ...Array(sql.split('?').length - 2).fill(1)) as Array<{ detail: string }>).map((r) => r.detail);
      expect(plan.join('\n'), sql).toMatch(/SEARCH item_tags USING PRIMARY KEY \(tag=\?/);
      expect(plan.filter((d) => /\bSCAN\b|TEMP B-TREE/.test(d)), sql).toEqual([]);
    }
  });
});

describe('migrating a database made before item_tags (schema 2)', () => {
  it('builds item_tags from every row\'s JSON tags, and keeps it right from then on', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      for (const step of migrations.slice(0, 2)) db.exec(step);
      db.pragma('user_version = 2');
      seedItems(db, 300);
      db.prepare(`INSERT INTO items (sku, name, category, price_cents, tags, created_at, updated_at)
                  VALUES ('DUP', 'x', 'books', 1, '["eco","eco"]', 't', 't')`).run();
      const before = tags.map((tag) => oldCount(db, { tag }));
      expect(before.some((n) => n > 0)).toBe(true);

      expect(migrate(db)).toBe(migrations.length);
      // One row per distinct (tag, item): the duplicate "eco" of DUP counts once.
      const pairs = db.prepare('SELECT count(*) AS n FROM (SELECT DISTINCT items.id, value FROM items, json_each(items.tags))').get();
      expect(db.prepare('SELECT count(*) AS n FROM item_tags').get()).toEqual(pairs);
      const repo = createItemsRepository(db);
      expect(tags.map((tag) => repo.count({ tag }))).toEqual(before);
      expectSameAsJsonScan(db, repo);
      const item = repo.create({ sku: 'AFTER', name: 'y', category: 'books', priceCents: 1, tags: ['nothing-has-this'] });
      expect(repo.list({ tag: 'nothing-has-this', limit: 5 }).map((i) => i.id)).toEqual([item.id]);
    } finally {
      db.close();
    }
  });
});
