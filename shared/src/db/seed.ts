/**
 * A deterministic catalogue of items: the same seed gives the same rows on every machine,
 * so a benchmark or a test sees the same data a learner does.
 */
import type { Database } from 'better-sqlite3';

/** Categories the seed draws from; lessons filter and aggregate on these. */
export const categories = [
  'books', 'garden', 'kitchen', 'music', 'office', 'outdoor', 'sports', 'tools', 'toys', 'travel',
] as const;

const adjectives = ['Compact', 'Durable', 'Ergonomic', 'Handmade', 'Heavy', 'Light', 'Modern', 'Rustic', 'Smart', 'Vintage'];
const nouns = ['Lamp', 'Kettle', 'Chair', 'Backpack', 'Notebook', 'Speaker', 'Drill', 'Tent', 'Puzzle', 'Bottle', 'Guitar', 'Rake'];
const tagPool = ['sale', 'new', 'eco', 'gift', 'bulk', 'premium', 'clearance', 'limited'];

/**
 * mulberry32: a tiny, fast PRNG with a 32-bit state. Not for cryptography; good for data.
 * @returns a function giving floats in [0, 1)
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fields of a seeded item, before it has an id. */
export interface SeedItem {
  sku: string;
  name: string;
  category: string;
  priceCents: number;
  tags: string[];
  createdAt: string;
}

/**
 * Generates `count` items from `seed`, lazily, so 1M rows never sit in memory at once.
 * SKUs are `SKU-000001`… so they stay unique and sort in insertion order.
 */
export function* generateItems(count: number, seed = 42): Generator<SeedItem> {
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const start = Date.UTC(2024, 0, 1);
  for (let i = 1; i <= count; i++) {
    const tags = tagPool.filter(() => random() < 0.2);
    yield {
      sku: `SKU-${String(i).padStart(6, '0')}`,
      name: `${pick(adjectives)} ${pick(nouns)} ${i}`,
      category: pick(categories),
      priceCents: 100 + Math.floor(random() * 99_900),
      tags,
      createdAt: new Date(start + i * 60_000).toISOString(),
    };
  }
}

/**
 * Inserts `count` generated items in one transaction, if the table is empty.
 * One transaction matters: autocommitted inserts pay a journal sync each (lesson 02).
 * @returns how many rows were inserted (0 when the table already had rows)
 */
export function seedItems(db: Database, count: number, seed = 42): number {
  const existing = db.prepare('SELECT count(*) AS n FROM items').get() as { n: number };
  if (existing.n > 0 || count === 0) return 0;
  const insert = db.prepare(
    `INSERT INTO items (sku, name, category, price_cents, tags, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const item of generateItems(count, seed)) {
      insert.run(item.sku, item.name, item.category, item.priceCents, JSON.stringify(item.tags), item.createdAt, item.createdAt);
    }
  })();
  return count;
}
