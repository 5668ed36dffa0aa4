/**
 * SQLite lets one writer at a time into a database file. With several worker processes, a
 * write may find another process holding the lock (SQLITE_BUSY).
 *
 * SQLite's own remedy, `busy_timeout`, is a busy handler that sleeps *on the calling thread*
 * (1, 2, 5 … 100 ms steps) until the lock is free. better-sqlite3 calls SQLite on the main
 * thread, so that sleep stops the event loop: every request on the worker waits, reads
 * included, and so does the cache invalidation another worker's write sends it (its ack
 * times out and a read through this worker may be stale). So the worker opens the file with
 * `busy_timeout = 0` (SQLITE_BUSY at once) and waits here instead, with timers: between two
 * attempts the event loop serves reads and applies invalidations. Past `budgetMs` in total the
 * request gets a 503 the client may retry, never a 500.
 *
 * Retrying is safe because SQLITE_BUSY means nothing was written: the repository's writes are
 * one statement each or a `BEGIN IMMEDIATE` transaction, which takes the write lock before it
 * reads or writes anything.
 */
import { unavailable, type CategoryStat, type Item, type ItemPatch, type ItemsRepository, type ItemsStore, type ListQuery, type NewItem } from '@course/shared';

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}

/** Counters shown under `custom.sqliteBusy` in /metrics. */
export interface BusyStats {
  /** Calls waiting for the lock right now. */
  waiting: number;
  /** Attempts that met SQLITE_BUSY and were tried again later. */
  retries: number;
  /** Calls that gave up after `budgetMs` (answered 503). */
  exhausted: number;
}

/** Options for {@link withBusyAs503}. */
export interface BusyOptions {
  /** Longest a call waits for the lock, in total, before the 503 (ms; default 5000). */
  budgetMs?: number;
  /** First pause between attempts (ms; default 2); it doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  /** Longest pause between attempts (ms; default 50). */
  maxDelayMs?: number;
}

/** The repository's methods, asynchronous, retried while SQLITE_BUSY; and their counters. */
export interface BusyGuardedStore extends ItemsStore {
  get(id: number): Promise<Item | undefined>;
  list(query: ListQuery): Promise<Item[]>;
  categoryStats(): Promise<CategoryStat[]>;
  create(input: NewItem): Promise<Item>;
  update(id: number, patch: ItemPatch): Promise<Item | undefined>;
  delete(id: number): Promise<boolean>;
  stats(): BusyStats;
}

/** The same repository, waiting off the event loop for a busy database, and a 503 `UNAVAILABLE` past `budgetMs`. */
export function withBusyAs503(repo: ItemsRepository, options: BusyOptions = {}): BusyGuardedStore {
  const budgetMs = options.budgetMs ?? 5000;
  const initialDelayMs = options.initialDelayMs ?? 2;
  const maxDelayMs = options.maxDelayMs ?? 50;
  const stats: BusyStats = { waiting: 0, retries: 0, exhausted: 0 };

  async function attempt<R>(fn: () => R): Promise<R> {
    try {
      return fn(); // the common case: no lock held elsewhere, no timer
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
    const startedAt = performance.now();
    let delayMs = initialDelayMs;
    stats.waiting++;
    try {
      for (;;) {
        const left = budgetMs - (performance.now() - startedAt);
        if (left <= 0) {
          stats.exhausted++;
          throw unavailable('The database is busy with another write; retry shortly');
        }
        // LESSON: wait with a timer, not inside SQLite: the event loop keeps serving meanwhile.
        // Jitter, so that two workers waiting for one lock do not retry in step.
        const pause = Math.min(left, delayMs * (0.5 + Math.random() / 2));
        await new Promise((resolve) => setTimeout(resolve, pause));
        delayMs = Math.min(maxDelayMs, delayMs * 2);
        stats.retries++;
        try {
          return fn();
        } catch (error) {
          if (!isBusy(error)) throw error;
        }
      }
    } finally {
      stats.waiting--;
    }
  }

  return {
    get: (id: number) => attempt((): Item | undefined => repo.get(id)),
    list: (query: ListQuery) => attempt((): Item[] => repo.list(query)),
    categoryStats: () => attempt((): CategoryStat[] => repo.categoryStats()),
    create: (input: NewItem) => attempt((): Item => repo.create(input)),
    update: (id: number, patch: ItemPatch) => attempt((): Item | undefined => repo.update(id, patch)),
    delete: (id: number) => attempt((): boolean => repo.delete(id)),
    stats: () => ({ ...stats }),
  };
}
