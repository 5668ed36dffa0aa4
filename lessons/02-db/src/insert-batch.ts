/**
 * Inserting many rows: one autocommitted statement per row, or all rows in one transaction.
 *
 * Outside an explicit transaction SQLite wraps every statement in its own: take the write
 * lock, append the pages to the WAL, write a commit record, release the lock (with
 * synchronous=FULL also an fsync, per row). Inside one transaction that work happens once.
 */
import { generateItems, type Database, type SeedItem } from '@course/shared';

const insertSql = `INSERT INTO items (sku, name, category, price_cents, tags, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)`;

/** `count` generated items whose SKUs start with `prefix` (unique per batch). */
export function makeRows(count: number, prefix: string, seed = 7): SeedItem[] {
  return [...generateItems(count, seed)].map((item, i) => ({ ...item, sku: `${prefix}-${i}` }));
}

type Insert = (rows: readonly SeedItem[]) => void;

function prepareInsert(db: Database) {
  const insert = db.prepare(insertSql);
  return (row: SeedItem) => insert.run(row.sku, row.name, row.category, row.priceCents, JSON.stringify(row.tags), row.createdAt, row.createdAt);
}

/** One transaction (and commit) per row. */
export function createAutocommitInsert(db: Database): Insert {
  const insertOne = prepareInsert(db);
  return (rows) => {
    // LESSON: every run() here is its own transaction: one commit per row.
    for (const row of rows) insertOne(row);
  };
}

/** All rows in one transaction: one commit; all or none. */
export function createTransactionInsert(db: Database): Insert {
  const insertOne = prepareInsert(db);
  // LESSON: db.transaction() wraps the function in BEGIN … COMMIT (ROLLBACK if it throws).
  return db.transaction((rows: readonly SeedItem[]) => {
    for (const row of rows) insertOne(row);
  });
}
