/**
 * Items in SQLite, through prepared statements only.
 *
 * better-sqlite3 is synchronous: each call runs on the main thread and returns the rows.
 * For the short, indexed queries here that is faster than any async driver (no thread hop,
 * no promise); a query that scans 100k rows blocks the event loop for its whole duration,
 * which lessons 02, 03 and 06 measure.
 */
import type { Database, Statement } from 'better-sqlite3';
import { conflict } from '../http/errors.ts';
import { rowToItem, type CategoryStat, type Item, type ItemPatch, type ItemRow, type NewItem } from './item.ts';

/** Filters shared by list and count. */
export interface ItemFilter {
  category?: string;
  minPriceCents?: number;
  maxPriceCents?: number;
  /** Items carrying this tag. */
  tag?: string;
}

/** A page request: `offset` pagination, or keyset (`afterId`) when given. */
export interface ListQuery extends ItemFilter {
  limit: number;
  /** Rows to skip (offset pagination: SQLite still walks every skipped row). */
  offset?: number;
  /** Keyset pagination: only ids greater than this (an index seek, whatever the depth). */
  afterId?: number;
}

/** Operations on items. Implemented here on SQLite; lesson 03 wraps it with a cache. */
export interface ItemsRepository {
  get(id: number): Item | undefined;
  list(query: ListQuery): Item[];
  count(filter?: ItemFilter): number;
  create(input: NewItem): Item;
  /** Inserts all or none, in one transaction. */
  createMany(inputs: readonly NewItem[]): Item[];
  update(id: number, patch: ItemPatch): Item | undefined;
  delete(id: number): boolean;
  /** Count and price statistics per category, over the whole table. */
  categoryStats(): CategoryStat[];
}

/** Options for {@link createItemsRepository}. */
export interface RepositoryOptions {
  /** Clock for timestamps; tests pass a fixed one. */
  now?: () => Date;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Builds the repository; every statement is prepared once and reused. */
export function createItemsRepository(db: Database, options: RepositoryOptions = {}): ItemsRepository {
  const now = options.now ?? (() => new Date());
  const byId = db.prepare<[number], ItemRow>('SELECT * FROM items WHERE id = ?');
  const insert = db.prepare<[string, string, string, number, string, string, string], ItemRow>(
    `INSERT INTO items (sku, name, category, price_cents, tags, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const updateRow = db.prepare<[string, string, string, number, string, string, number], ItemRow>(
    `UPDATE items SET sku = ?, name = ?, category = ?, price_cents = ?, tags = ?, updated_at = ?
     WHERE id = ? RETURNING *`,
  );
  const deleteRow = db.prepare<[number]>('DELETE FROM items WHERE id = ?');
  const stats = db.prepare<[], CategoryStat>(
    `SELECT category, count(*) AS count, avg(price_cents) AS avgPriceCents,
            min(price_cents) AS minPriceCents, max(price_cents) AS maxPriceCents
     FROM items GROUP BY category ORDER BY category`,
  );

  // Filters change the SQL's shape, so each shape gets its own prepared statement, cached.
  // Only fixed clauses are concatenated; every value is a bound parameter.
  // A tag filter reads from item_tags (migration 3), whose primary key (tag, item_id) gives the
  // tag's items in id order: a seek, then at most a page of rows, whatever the table's size.
  const shapes = new Map<string, Statement<unknown[], ItemRow | { n: number }>>();
  function filtered(kind: 'list' | 'count', query: ListQuery | ItemFilter): { stmt: Statement<unknown[], ItemRow | { n: number }>; params: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    const q = query as ListQuery;
    const byTag = q.tag !== undefined;
    const id = byTag ? 'item_tags.item_id' : 'id';
    if (byTag) { where.push('item_tags.tag = ?'); params.push(q.tag); }
    if (q.category !== undefined) { where.push('category = ?'); params.push(q.category); }
    if (q.minPriceCents !== undefined) { where.push('price_cents >= ?'); params.push(q.minPriceCents); }
    if (q.maxPriceCents !== undefined) { where.push('price_cents <= ?'); params.push(q.maxPriceCents); }
    if (kind === 'list' && q.afterId !== undefined) { where.push(`${id} > ?`); params.push(q.afterId); }
    const from = byTag ? 'item_tags JOIN items ON items.id = item_tags.item_id' : 'items';
    let sql = kind === 'list' ? `SELECT items.* FROM ${from}` : `SELECT count(*) AS n FROM ${from}`;
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    if (kind === 'list') {
      sql += ` ORDER BY ${id} LIMIT ?`;
      params.push(q.limit);
      if (q.afterId === undefined && q.offset) { sql += ' OFFSET ?'; params.push(q.offset); }
    }
    let stmt = shapes.get(sql);
    if (!stmt) { stmt = db.prepare(sql); shapes.set(sql, stmt); }
    return { stmt, params };
  }

  function create(input: NewItem): Item {
    const at = now().toISOString();
    try {
      return rowToItem(insert.get(input.sku, input.name, input.category, input.priceCents, JSON.stringify(input.tags ?? []), at, at)!);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('sku', `An item with sku "${input.sku}" already exists`);
      throw error;
    }
  }

  const createManyTx = db.transaction((inputs: readonly NewItem[]) => inputs.map(create));

  // Read-modify-write in one IMMEDIATE transaction: it takes the write lock before reading,
  // so a second process (lesson 11) cannot change the row between the read and the write,
  // and the busy timeout applies instead of an instant SQLITE_BUSY on lock upgrade.
  const updateTx = db.transaction((id: number, patch: ItemPatch): Item | undefined => {
    const current = byId.get(id);
    if (!current) return undefined;
    const next = { ...rowToItem(current), ...patch };
    try {
      const row = updateRow.get(next.sku, next.name, next.category, next.priceCents, JSON.stringify(next.tags), now().toISOString(), id);
      return row && rowToItem(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('sku', `An item with sku "${next.sku}" already exists`);
      throw error;
    }
  });

  return {
    get: (id) => {
      const row = byId.get(id);
      return row && rowToItem(row);
    },
    list: (query) => {
      const { stmt, params } = filtered('list', query);
      return (stmt.all(...params) as ItemRow[]).map(rowToItem);
    },
    count: (filter = {}) => {
      const { stmt, params } = filtered('count', filter);
      return (stmt.get(...params) as { n: number }).n;
    },
    create,
    createMany: (inputs) => createManyTx.immediate(inputs),
    update: (id, patch) => updateTx.immediate(id, patch),
    delete: (id) => deleteRow.run(id).changes > 0,
    categoryStats: () => stats.all(),
  };
}
