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
  // 2: ids are never reused. A plain INTEGER PRIMARY KEY hands out max(id) + 1, so deleting the
  // newest item gives its id to the next insert: a keyset cursor already past it misses the new
  // row, and a cached entry, ETag or Location for the old item now names another one.
  // AUTOINCREMENT keeps the highest id ever used in sqlite_sequence. SQLite cannot add it to an
  // existing table, so the table is rebuilt (rows keep their ids; ids deleted before this step
  // above the surviving maximum cannot be known, and may be handed out once more).
  `CREATE TABLE items_v2 (
     id          INTEGER PRIMARY KEY AUTOINCREMENT,
     sku         TEXT    NOT NULL UNIQUE,
     name        TEXT    NOT NULL,
     category    TEXT    NOT NULL,
     price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
     tags        TEXT    NOT NULL DEFAULT '[]',
     created_at  TEXT    NOT NULL,
     updated_at  TEXT    NOT NULL
   ) STRICT;
   INSERT INTO items_v2 (id, sku, name, category, price_cents, tags, created_at, updated_at)
     SELECT id, sku, name, category, price_cents, tags, created_at, updated_at FROM items ORDER BY id;
   DROP TABLE items;
   ALTER TABLE items_v2 RENAME TO items;
   CREATE INDEX items_category_id ON items (category, id);`,
  // 3: one row per (tag, item), so `?tag=` is an index seek. The JSON `tags` column stays the
  // item's own copy (what the API returns); this table is derived from it by triggers, so every
  // writer, the repository's and any lesson's own SQL, keeps it right in the same transaction.
  // LESSON: `EXISTS (SELECT 1 FROM json_each(items.tags) WHERE value = ?)` cannot use an index:
  // a tag that matches nothing parses the JSON of every row (24 ms at 100k items, all on the
  // event loop). The primary key (tag, item_id) answers "items with this tag, in id order" by
  // seeking to the tag and reading in order, which is what a LIMIT page needs.
  // WITHOUT ROWID: the table is its primary key; there is nothing else to store.
  `CREATE TABLE item_tags (
     tag     TEXT    NOT NULL,
     item_id INTEGER NOT NULL,
     PRIMARY KEY (tag, item_id)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX item_tags_item_id ON item_tags (item_id);
   INSERT OR IGNORE INTO item_tags (tag, item_id)
     SELECT json_each.value, items.id FROM items, json_each(items.tags);
   CREATE TRIGGER items_tags_after_insert AFTER INSERT ON items BEGIN
     INSERT OR IGNORE INTO item_tags (tag, item_id) SELECT value, NEW.id FROM json_each(NEW.tags);
   END;
   CREATE TRIGGER items_tags_after_update AFTER UPDATE OF id, tags ON items BEGIN
     DELETE FROM item_tags WHERE item_id = OLD.id;
     INSERT OR IGNORE INTO item_tags (tag, item_id) SELECT value, NEW.id FROM json_each(NEW.tags);
   END;
   CREATE TRIGGER items_tags_after_delete AFTER DELETE ON items BEGIN
     DELETE FROM item_tags WHERE item_id = OLD.id;
   END;`,
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
