/**
 * What other lessons may import from lesson 02.
 */
export { createLessonApp, type LessonAppOptions } from './app.ts';
export { createSearch, createSearchRouter, parseSearchQuery, type SearchQuery, type SearchResult } from './search.ts';
export { createPreparedReader, createRepreparingReader } from './read-by-id.ts';
export { createAutocommitInsert, createTransactionInsert, makeRows } from './insert-batch.ts';
export { createSlowRouter } from './slow.ts';
export { walPagesFor } from './wal-pages.ts';

/** Absolute path of the server entry point (for spawnServer). */
export const serverEntry: string = new URL('./server.ts', import.meta.url).pathname;
