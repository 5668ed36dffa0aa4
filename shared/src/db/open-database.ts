/**
 * Opens the course's SQLite database with the settings a server needs.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations.ts';

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** How long a writer waits for another process's lock before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) a database file or `:memory:`, and migrates it.
 *
 * - WAL: readers never block the writer and vice versa, which matters once several
 *   processes (lesson 11's cluster) share one file.
 * - busy_timeout: a writer waits for another process's lock instead of failing at once.
 * - synchronous=NORMAL: in WAL mode a commit is written to the WAL (the OS page cache) but
 *   not fsynced; the WAL is fsynced at checkpoints. A crash of the *process* loses nothing
 *   committed: the kernel still holds the pages and writes them out. A crash of the *machine*
 *   (power loss, kernel panic, a VM killed by its host) can lose the last commits since the
 *   previous checkpoint; the database stays consistent, only recent commits roll back.
 *   FULL fsyncs the WAL at every commit and survives those too, at a large cost per write
 *   (lesson 02 measures it).
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** The better-sqlite3 database type, re-exported so lessons need not import the driver. */
export type { Database } from 'better-sqlite3';
