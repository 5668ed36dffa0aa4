/**
 * The same reads on Node's built-in SQLite (`node:sqlite`, `DatabaseSync`): synchronous like
 * better-sqlite3, compiled into Node, no native addon to build.
 *
 * Which Node has it: none before 22.5; 22.5 to 22.12 only with `--experimental-sqlite`; 22.13
 * and later without a flag (Node 22 still prints an ExperimentalWarning; 24 and 26 do not).
 * Node 20 has no `node:sqlite` at all, so this file loads it at run time and says when it is
 * absent; the bench and the tests skip the variant with that sentence.
 */
import { rowToItem, type Item, type ItemRow } from '@course/shared';
import { likePattern, type SearchQuery, type SearchResult } from './search.ts';

/**
 * The part of `node:sqlite`'s API this lesson uses, with rows as `unknown` (the lesson maps them
 * to the course's ItemRow): no `import` of node:sqlite, so Node 20 still loads this file.
 */
interface StatementSync {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface DatabaseSync {
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string) => DatabaseSync;
}

/** `node:sqlite` when this Node has it, or the reason it does not. */
export type NodeSqliteStatus = { available: true; module: NodeSqliteModule } | { available: false; reason: string };

/** Looks `node:sqlite` up in the running Node without importing it statically (Node 20 would fail to load this file). */
export function nodeSqliteStatus(): NodeSqliteStatus {
  let module: NodeSqliteModule | undefined;
  try {
    // getBuiltinModule: Node 20.16+ and 22.3+ (every Node the course supports); it returns
    // undefined for a module this Node does not have, whatever its type says.
    module = process.getBuiltinModule('node:sqlite');
  } catch {
    module = undefined;
  }
  if (module) return { available: true, module };
  return {
    available: false,
    reason: `node:sqlite is not available on Node ${process.version} (it needs Node 22.13+, or 22.5 to 22.12 with --experimental-sqlite)`,
  };
}

/** Reads by id and the LIKE search on one `node:sqlite` connection to `path`. */
export interface NodeSqliteReads {
  byId(id: number): Item | undefined;
  search(query: SearchQuery): SearchResult;
  close(): void;
}

/**
 * Opens `path` (a file the course's `openDatabase` created and migrated) with `node:sqlite` and
 * prepares the same statements as better-sqlite3's side of the lesson.
 * @throws Error with {@link nodeSqliteStatus}'s reason when this Node has no `node:sqlite`
 */
export function openNodeSqliteReads(path: string): NodeSqliteReads {
  const status = nodeSqliteStatus();
  if (!status.available) throw new Error(status.reason);
  const db = new status.module.DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 5000');
  // LESSON: the same SQL, prepared once, as createPreparedReader and createSearch do.
  const byId = db.prepare('SELECT * FROM items WHERE id = ?');
  const count = db.prepare(`SELECT count(*) AS n FROM items WHERE name LIKE ? ESCAPE '\\'`);
  const page = db.prepare(`SELECT * FROM items WHERE name LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?`);
  return {
    byId: (id) => {
      const row = byId.get(id) as ItemRow | undefined;
      return row && rowToItem(row);
    },
    search: ({ q, limit }) => {
      const pattern = likePattern(q);
      const total = (count.get(pattern) as { n: number }).n;
      return { total, items: (page.all(pattern, limit) as ItemRow[]).map(rowToItem) };
    },
    close: () => db.close(),
  };
}
