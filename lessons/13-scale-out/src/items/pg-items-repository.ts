/**
 * The items repository on PostgreSQL: the same operations as SQLite's
 * (shared/src/items/items-repository.ts), each one a network round trip that returns a promise.
 *
 * Every query is a named prepared statement: PostgreSQL parses and plans it once per
 * connection, then only binds values, the same saving better-sqlite3's `prepare` gives.
 */
import { conflict, unavailable, validationError, rowToItem, type CategoryStat, type Item, type ItemFilter, type ItemPatch, type ItemsRepository, type ListQuery, type NewItem } from '@course/shared';
import type pg from 'pg';

/** {@link ItemsRepository} with every result behind a promise. */
export type AsyncItemsRepository = {
  [K in keyof ItemsRepository]: (...args: Parameters<ItemsRepository[K]>) => Promise<ReturnType<ItemsRepository[K]>>;
};

/** Options for {@link createPgItemsRepository}. */
export interface PgRepositoryOptions {
  /** Clock for timestamps; tests pass a fixed one. */
  now?: () => Date;
  /**
   * Requests allowed to wait for one of the pool's connections (default: no bound). One more
   * is answered 503 at once: a queue that grows without bound only turns overload into timeouts.
   */
  maxWaiting?: number;
}

/** pg's and PostgreSQL's ways of saying "not now", as a 503 the client may retry. */
function asUnavailable(error: unknown): unknown {
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string };
  if (code === '57014') return unavailable('The database did not finish the query in time; retry shortly'); // statement_timeout
  if (message.includes('timeout exceeded when trying to connect')) return unavailable('No database connection became free in time; retry shortly');
  if (message === 'Query read timeout') return unavailable('The database did not answer in time; retry shortly');
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === '57P03' || code === '53300') return unavailable('The database is unavailable; retry shortly');
  return error;
}

interface PgItemRow {
  id: number;
  sku: string;
  name: string;
  category: string;
  price_cents: number;
  tags: string[];
  created_at: Date;
  updated_at: Date;
}

const toItem = (row: PgItemRow): Item => rowToItem({
  ...row,
  // jsonb arrives parsed; rowToItem expects SQLite's JSON text.
  tags: JSON.stringify(row.tags),
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

// PostgreSQL's text cannot hold U+0000 (SQLite's can): say so with a 400, not a 500.
function rejectNul(fields: Record<string, unknown>, prefix = ''): void {
  const bad = Object.entries(fields).filter(([, v]) => (typeof v === 'string' && v.includes('\0')) || (Array.isArray(v) && v.some((t) => typeof t === 'string' && t.includes('\0'))));
  if (bad.length > 0) throw validationError(bad.map(([field]) => ({ field: `${prefix}${field}`, message: 'must not contain U+0000 (PostgreSQL text cannot store it)' })));
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

const columns = 'id, sku, name, category, price_cents, tags, created_at, updated_at';

/** Builds the repository on a pool (each call borrows a connection for one statement). */
export function createPgItemsRepository(pool: pg.Pool, options: PgRepositoryOptions = {}): AsyncItemsRepository {
  const now = options.now ?? (() => new Date());
  const shapes = new Map<string, string>();
  const maxWaiting = options.maxWaiting ?? Infinity;

  // LESSON: admission control: when the pool's connections are busy and its queue is full,
  // refuse now (503) rather than queue a request that would only time out later.
  function admit(): void {
    if (pool.waitingCount >= maxWaiting) throw unavailable('The database pool and its queue are full; retry shortly');
  }
  async function query<R extends pg.QueryResultRow>(config: pg.QueryConfig, client: pg.Pool | pg.PoolClient = pool): Promise<pg.QueryResult<R>> {
    if (client === pool) admit();
    try {
      return await client.query<R>(config);
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  // Ids arrive as JS numbers up to 2^53; `::bigint` compares them with the integer column
  // without an out-of-range error for ids that cannot exist.
  function filtered(kind: 'list' | 'count', query: ListQuery | ItemFilter): pg.QueryConfig {
    rejectNul({ category: query.category, tag: query.tag }, 'query.');
    const where: string[] = [];
    const values: unknown[] = [];
    const q = query as ListQuery;
    const param = (value: unknown, cast = ''): string => { values.push(value); return `$${values.length}${cast}`; };
    if (q.category !== undefined) where.push(`category = ${param(q.category)}`);
    if (q.minPriceCents !== undefined) where.push(`price_cents >= ${param(q.minPriceCents)}`);
    if (q.maxPriceCents !== undefined) where.push(`price_cents <= ${param(q.maxPriceCents)}`);
    if (q.tag !== undefined) where.push(`tags ? ${param(q.tag)}`);
    if (kind === 'list' && q.afterId !== undefined) where.push(`id > ${param(q.afterId, '::bigint')}`);
    let text = kind === 'list' ? `SELECT ${columns} FROM items` : 'SELECT count(*)::int AS n FROM items';
    if (where.length > 0) text += ` WHERE ${where.join(' AND ')}`;
    if (kind === 'list') {
      text += ` ORDER BY id LIMIT ${param(q.limit)}`;
      if (q.afterId === undefined && q.offset) text += ` OFFSET ${param(q.offset)}`;
    }
    // Only fixed clauses vary; a name per shape lets each connection prepare it once.
    let name = shapes.get(text);
    if (!name) { name = `items-${kind}-${shapes.size}`; shapes.set(text, name); }
    return { name, text, values };
  }

  async function create(input: NewItem, client: pg.Pool | pg.PoolClient = pool): Promise<Item> {
    rejectNul({ ...input });
    const at = now();
    try {
      const { rows } = await query<PgItemRow>({
        name: 'items-insert',
        text: `INSERT INTO items (sku, name, category, price_cents, tags, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${columns}`,
        values: [input.sku, input.name, input.category, input.priceCents, JSON.stringify(input.tags ?? []), at],
      }, client);
      return toItem(rows[0]!);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('sku', `An item with sku "${input.sku}" already exists`);
      throw error;
    }
  }

  return {
    async get(id) {
      const { rows } = await query<PgItemRow>({ name: 'items-by-id', text: `SELECT ${columns} FROM items WHERE id = $1::bigint`, values: [id] });
      return rows[0] && toItem(rows[0]);
    },
    async list(listQuery) {
      const { rows } = await query<PgItemRow>(filtered('list', listQuery));
      return rows.map(toItem);
    },
    async count(filter = {}) {
      const { rows } = await query<{ n: number }>(filtered('count', filter));
      return rows[0]!.n;
    },
    create: (input) => create(input),
    async createMany(inputs) {
      admit();
      const client = await pool.connect().catch((error: unknown) => { throw asUnavailable(error); });
      try {
        await client.query('BEGIN');
        const items: Item[] = [];
        for (const input of inputs) items.push(await create(input, client));
        await client.query('COMMIT');
        return items;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    // LESSON: SQLite needed a read-modify-write transaction; one UPDATE with COALESCE is atomic
    // on its own, and is one round trip instead of four (BEGIN, SELECT, UPDATE, COMMIT).
    async update(id, patch: ItemPatch) {
      rejectNul({ ...patch });
      try {
        const { rows } = await query<PgItemRow>({
          name: 'items-update',
          text: `UPDATE items SET sku = COALESCE($1, sku), name = COALESCE($2, name), category = COALESCE($3, category),
                   price_cents = COALESCE($4, price_cents), tags = COALESCE($5::jsonb, tags), updated_at = $6
                 WHERE id = $7::bigint RETURNING ${columns}`,
          values: [patch.sku ?? null, patch.name ?? null, patch.category ?? null, patch.priceCents ?? null,
            patch.tags === undefined ? null : JSON.stringify(patch.tags), now(), id],
        });
        return rows[0] && toItem(rows[0]);
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('sku', `An item with sku "${patch.sku}" already exists`);
        throw error;
      }
    },
    async delete(id) {
      const { rowCount } = await query({ name: 'items-delete', text: 'DELETE FROM items WHERE id = $1::bigint', values: [id] });
      return (rowCount ?? 0) > 0;
    },
    async categoryStats() {
      const { rows } = await query<CategoryStat>({
        name: 'items-stats',
        text: `SELECT category, count(*)::int AS "count", avg(price_cents)::float8 AS "avgPriceCents",
                      min(price_cents) AS "minPriceCents", max(price_cents) AS "maxPriceCents"
               FROM items GROUP BY category ORDER BY category`,
      });
      return rows;
    },
  };
}
