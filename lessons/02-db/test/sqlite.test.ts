import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createItemsRepository, repoRoot } from '@course/shared';
import { createTestDatabase } from '@course/shared/testing';
import { createAutocommitInsert, createPreparedReader, createRepreparingReader, createSearch, createTransactionInsert, makeRows, parseSearchQuery, walPagesFor } from '../src/index.ts';

const count = (db: ReturnType<typeof createTestDatabase>): number => (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;

describe('inserting a batch', () => {
  it('inserts the same rows either way', () => {
    const a = createTestDatabase(0);
    const b = createTestDatabase(0);
    const rows = makeRows(50, 'BATCH');
    createAutocommitInsert(a)(rows);
    createTransactionInsert(b)(rows);
    const dump = (db: typeof a) => db.prepare('SELECT sku, name, category, price_cents, tags FROM items ORDER BY id').all();
    expect(dump(a)).toHaveLength(50);
    expect(dump(a)).toEqual(dump(b));
    a.close();
    b.close();
  });

  it('in one transaction, inserts all rows or none: a failure on row 30 rolls back rows 1 to 29', () => {
    const db = createTestDatabase(0);
    const rows = makeRows(50, 'TX');
    rows[29] = { ...rows[29]!, sku: rows[0]!.sku }; // duplicate: UNIQUE constraint fails here
    expect(() => createTransactionInsert(db)(rows)).toThrow(/UNIQUE/);
    expect(count(db)).toBe(0);
    db.close();
  });

  it('autocommitted, keeps the 29 rows committed before the failure', () => {
    const db = createTestDatabase(0);
    const rows = makeRows(50, 'AUTO');
    rows[29] = { ...rows[29]!, sku: rows[0]!.sku };
    expect(() => createAutocommitInsert(db)(rows)).toThrow(/UNIQUE/);
    expect(count(db)).toBe(29);
    db.close();
  });
});

describe('reading by id', () => {
  it('gives the same item with a prepared and a re-prepared statement, and the repository agrees', () => {
    const db = createTestDatabase(30);
    const repository = createItemsRepository(db);
    for (const id of [1, 15, 30, 31]) {
      expect(createRepreparingReader(db)(id)).toEqual(createPreparedReader(db)(id));
      expect(createPreparedReader(db)(id)).toEqual(repository.get(id));
    }
    expect(createPreparedReader(db)(31)).toBeUndefined();
    db.close();
  });
});

describe('search', () => {
  it('counts every match but returns at most `limit` items, in id order', () => {
    const db = createTestDatabase(500);
    const expected = (db.prepare("SELECT count(*) AS n FROM items WHERE name LIKE '%Lamp%'").get() as { n: number }).n;
    const result = createSearch(db)(parseSearchQuery({ q: 'Lamp', limit: '5' }));
    expect(expected).toBeGreaterThan(5);
    expect(result.total).toBe(expected);
    expect(result.items).toHaveLength(5);
    expect(result.items.every((item) => item.name.includes('Lamp'))).toBe(true);
    expect(result.items.map((i) => i.id)).toEqual([...result.items.map((i) => i.id)].sort((x, y) => x - y));
    db.close();
  });

  it('would match every row for a NUL, which is why parseSearchQuery rejects control characters', () => {
    const db = createTestDatabase(50);
    // LIKE reads its pattern as a C string: "%\0%" ends at the NUL and is just "%".
    expect(createSearch(db)({ q: '\0', limit: 1 }).total).toBe(50);
    expect(() => parseSearchQuery({ q: '\0' })).toThrow(/query\.q/);
    expect(() => parseSearchQuery({ q: 'Lamp\u001b' })).toThrow(/query\.q/);
    db.close();
  });

  it('defaults limit to 20', () => {
    expect(parseSearchQuery({ q: 'x' })).toEqual({ q: 'x', limit: 20 });
  });

  it('is case-insensitive for ASCII only (SQLite LIKE), so "lamp" finds "Lamp" but "ä" does not find "Ä"', () => {
    const db = createTestDatabase(0);
    const items = createItemsRepository(db);
    for (const [sku, name] of [['C-1', 'Lamp'], ['C-2', 'DESK LAMP'], ['C-3', 'lamp shade'], ['C-4', 'Ärmel'], ['C-5', 'Chair']]) {
      items.create({ sku: sku!, name: name!, category: 'tools', priceCents: 100, tags: [] });
    }
    const search = createSearch(db);
    const names = (q: string): string[] => search({ q, limit: 10 }).items.map((item) => item.name);
    expect(names('lamp')).toEqual(['Lamp', 'DESK LAMP', 'lamp shade']);
    expect(names('LAMP')).toEqual(['Lamp', 'DESK LAMP', 'lamp shade']);
    expect(search({ q: 'Lamp', limit: 1 }).total).toBe(3);
    // SQLite folds ASCII letters only: "ä" and "Ä" are different characters to LIKE.
    expect(names('Ärm')).toEqual(['Ärmel']);
    expect(names('ärm')).toEqual([]);
    db.close();
  });
});

describe('the write-ahead log', () => {
  it('receives many more pages for autocommitted inserts than for the same rows in one transaction', () => {
    const dir = join(repoRoot, 'tmp', 'lesson-02-tests');
    mkdirSync(dir, { recursive: true });
    const autocommit = walPagesFor('autocommit', 100, join(dir, `wal-a-${process.pid}.db`));
    const transaction = walPagesFor('transaction', 100, join(dir, `wal-t-${process.pid}.db`));
    expect(transaction).toBeGreaterThan(0);
    // Each of the 100 commits appends its own copy of at least the table's leaf page.
    expect(autocommit).toBeGreaterThanOrEqual(100);
    expect(autocommit).toBeGreaterThan(5 * transaction);
  });
});
