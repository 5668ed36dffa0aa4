/**
 * The item as the API shows it, and the mapping from its database row.
 */

/** An item of the catalogue, as the API returns it. */
export interface Item {
  id: number;
  sku: string;
  name: string;
  category: string;
  /** Integer cents: money never goes through binary floating point. */
  priceCents: number;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

/** Fields a client sends to create an item. */
export interface NewItem {
  sku: string;
  name: string;
  category: string;
  priceCents: number;
  tags?: string[];
}

/** Fields a client may change; at least one. */
export type ItemPatch = Partial<NewItem>;

/** Aggregate of one category over the whole table (the course's "expensive" query). */
export interface CategoryStat {
  category: string;
  count: number;
  avgPriceCents: number;
  minPriceCents: number;
  maxPriceCents: number;
}

/** A row of the `items` table, as better-sqlite3 returns it. */
export interface ItemRow {
  id: number;
  sku: string;
  name: string;
  category: string;
  price_cents: number;
  tags: string;
  created_at: string;
  updated_at: string;
}

/** Maps a database row to the API's item. */
export function rowToItem(row: ItemRow): Item {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    category: row.category,
    priceCents: row.price_cents,
    tags: JSON.parse(row.tags) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
