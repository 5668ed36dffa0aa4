/**
 * Preparing the shared database file before any worker opens it.
 */
import { openDatabase, seedItems } from '@course/shared';

/**
 * Creates, migrates and seeds the database once, then closes it. The primary calls this
 * before forking: N workers seeding an empty file at the same moment would each see an
 * empty table and the later ones would fail on duplicate SKUs.
 * @returns rows inserted (0 when the table already had rows)
 */
export function prepareDatabase(dbPath: string, seedCount: number): number {
  const db = openDatabase(dbPath);
  try {
    return seedItems(db, seedCount);
  } finally {
    db.close();
  }
}
