/**
 * SQLite lets one writer at a time into a database file. With several worker processes, a
 * write may find another process holding the lock: better-sqlite3 then waits up to
 * `busy_timeout` and, past it, throws SQLITE_BUSY. That is not a bug in the request, so it
 * must not become a 500: it becomes a 503 the client may retry.
 */
import { unavailable, type ItemsRepository } from '@course/shared';

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}

function guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return fn(...args);
    } catch (error) {
      if (isBusy(error)) throw unavailable('The database is busy with another write; retry shortly');
      throw error;
    }
  };
}

/** The same repository, with SQLITE_BUSY turned into a 503 `UNAVAILABLE` ApiError. */
export function withBusyAs503(repo: ItemsRepository): ItemsRepository {
  return {
    get: guard(repo.get),
    list: guard(repo.list),
    count: guard(repo.count),
    create: guard(repo.create),
    createMany: guard(repo.createMany),
    update: guard(repo.update),
    delete: guard(repo.delete),
    categoryStats: guard(repo.categoryStats),
  };
}
