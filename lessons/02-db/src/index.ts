/**
 * What other lessons may import from lesson 02.
 */
import { fileURLToPath } from 'node:url';
export { createLessonApp, type LessonAppOptions } from './app.ts';
export { createSearch, createSearchRouter, likePattern, parseSearchQuery, type SearchQuery, type SearchResult } from './search.ts';
export { createPreparedReader, createRepreparingReader } from './read-by-id.ts';
export { createAutocommitInsert, createTransactionInsert, makeRows } from './insert-batch.ts';
export { createSlowRouter } from './slow.ts';
export { walPagesFor } from './wal-pages.ts';
export { nodeSqliteStatus, openNodeSqliteReads, type NodeSqliteReads, type NodeSqliteStatus } from './node-sqlite.ts';

/**
 * Absolute path of the server entry point (for spawnServer). `fileURLToPath`, not `.pathname`:
 * a URL's pathname keeps percent-escapes (`my%20course/`), which is no file path.
 */
export const serverEntry: string = fileURLToPath(new URL('./server.ts', import.meta.url));

/** The node:sqlite server entry (Node 22.13+), for the bench's side-by-side. */
export const nodeSqliteServerEntry: string = fileURLToPath(new URL('./server-node-sqlite.ts', import.meta.url));
