/**
 * Schema migrations, applied in order and recorded in SQLite's `user_version` pragma.
 * Append new steps; never edit one that has shipped.
 */
import type { Database } from 'better-sqlite3';

/** Ordered schema steps; index + 1 is the schema version each one produces. */
export const migrations: readonly string[] = [
  `CREATE TABLE items (
     id          INTEGER PRIMARY KEY,
     sku         TEXT    NOT NULL UNIQUE,
     name        TEXT    NOT NULL,
     category    TEXT    NOT NULL,
     price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
     tags        TEXT    NOT NULL DEFAULT '[]',
     created_at  TEXT    NOT NULL,
     updated_at  TEXT    NOT NULL
   ) STRICT;
   CREATE INDEX items_category_id ON items (category, id);`,
];

/**
 * Brings the schema up to date inside one transaction per step.
 * @returns the schema version after migrating
 */
export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      // user_version takes no bound parameters; the value is our own integer.
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return migrations.length;
}
