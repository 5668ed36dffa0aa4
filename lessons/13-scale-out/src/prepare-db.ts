/**
 * Creates and seeds the items table on the PostgreSQL at PG_URL (what src/stack.ts does before
 * it starts any host), for readers who run the engines themselves (compose.yaml).
 *
 *   PG_URL=postgres://postgres:lesson@127.0.0.1:5432/postgres node --import tsx src/prepare-db.ts
 */
import { integerFromEnv } from '@course/shared';
import pg from 'pg';
import { preparePgDatabase } from './items/pg-schema.ts';

const url = process.env.PG_URL;
if (!url) {
  console.error('PG_URL must be set, e.g. postgres://postgres:lesson@127.0.0.1:5432/postgres');
  process.exit(2);
}
const pool = new pg.Pool({ connectionString: url, max: 1 });
const seeded = await preparePgDatabase(pool, integerFromEnv(process.env, 'SEED_COUNT', 10_000, 0, 10_000_000));
console.log(seeded > 0 ? `created the items table and seeded ${seeded} items` : 'the items table already has rows: left as it is');
await pool.end();
