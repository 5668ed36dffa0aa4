/**
 * How many pages a batch of inserts appends to the write-ahead log, autocommitted or in one
 * transaction. Each commit appends its own copy of every page it changed (the table's leaf page
 * and a leaf of each index), so 100 commits append the same hot pages about 100 times.
 */
import { rmSync } from 'node:fs';
import { openDatabase } from '@course/shared';
import { createAutocommitInsert, createTransactionInsert, makeRows } from './insert-batch.ts';

/**
 * Inserts `rows` rows into a fresh database file at `path` and counts the WAL frames (pages)
 * they added. Deletes the file afterwards.
 */
export function walPagesFor(mode: 'autocommit' | 'transaction', rows: number, path: string): number {
  const remove = (): void => { for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true }); };
  remove();
  const db = openDatabase(path);
  try {
    // No automatic checkpoint: it would move pages out of the log while we count them.
    db.pragma('wal_autocheckpoint = 0');
    const insert = mode === 'autocommit' ? createAutocommitInsert(db) : createTransactionInsert(db);
    insert(makeRows(1000, 'warm')); // a table with some depth, as in real use
    db.pragma('wal_checkpoint(TRUNCATE)');
    insert(makeRows(rows, 'count'));
    // A PASSIVE checkpoint reports `log`: the frames in the WAL now.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    return result!.log;
  } finally {
    db.close();
    remove();
  }
}
