/**
 * What every server entry point does first: open the database and seed it if it is empty.
 */
import type { Database } from 'better-sqlite3';
import { openDatabase } from './open-database.ts';
import { seedItems } from './seed.ts';

/**
 * Opens `dbPath` (migrating it) and, when the table is empty, seeds `seedCount` items,
 * logging how long that took (100k items take one to three seconds on a 2-core machine).
 */
export function openSeededDatabase(
  config: { dbPath: string; seedCount: number },
  log: (line: string) => void = console.log,
): Database {
  const db = openDatabase(config.dbPath);
  const started = performance.now();
  const seeded = seedItems(db, config.seedCount);
  if (seeded > 0) log(`seeded ${seeded} items into ${config.dbPath} in ${Math.round(performance.now() - started)} ms`);
  return db;
}
