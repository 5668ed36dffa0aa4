/**
 * Reading one item by id, two ways: with a statement prepared once (what the shared
 * repository does) and with one prepared on every call.
 *
 * Preparing compiles the SQL into SQLite's bytecode (parse, resolve names against the
 * schema, plan the query). A prepared statement skips all of that on every later run.
 */
import { rowToItem, type Database, type Item, type ItemRow } from '@course/shared';

const sql = 'SELECT * FROM items WHERE id = ?';

/** Looks an item up with one statement, prepared here, reused for every call. */
export function createPreparedReader(db: Database): (id: number) => Item | undefined {
  // LESSON: prepared once; each call only binds the id and steps the statement.
  const byId = db.prepare<[number], ItemRow>(sql);
  return (id) => {
    const row = byId.get(id);
    return row && rowToItem(row);
  };
}

/** Looks an item up by preparing the statement again on every call (the anti-pattern). */
export function createRepreparingReader(db: Database): (id: number) => Item | undefined {
  return (id) => {
    // LESSON: parse + plan on every call. Still a bound parameter: never concatenate the id.
    const row = db.prepare<[number], ItemRow>(sql).get(id);
    return row && rowToItem(row);
  };
}
