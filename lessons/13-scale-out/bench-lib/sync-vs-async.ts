/**
 * Lesson 02's synchronous better-sqlite3 next to a PostgreSQL round trip, in this process:
 * time per lookup by id, and how busy the event loop was meanwhile.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createItemsRepository, openDatabase, seedItems } from '@course/shared';
import pg from 'pg';
import { createPgItemsRepository } from '../src/items/pg-items-repository.ts';

interface Timing { usPerGet: number; elu: number }

async function time(count: number, body: () => Promise<void> | void): Promise<Timing> {
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  await body();
  const usPerGet = ((performance.now() - started) * 1000) / count;
  return { usPerGet, elu: performance.eventLoopUtilization(elu).utilization };
}

/** Lines for the report: SQLite sync, PostgreSQL one at a time, PostgreSQL `inFlight` at a time. */
export async function syncVsAsync(pgUrl: string, dir: string, seedCount: number, count: number, inFlight = 10): Promise<string[]> {
  const db = openDatabase(join(dir, 'sqlite-compare.db'));
  seedItems(db, seedCount);
  const sqlite = createItemsRepository(db);
  const pool = new pg.Pool({ connectionString: pgUrl, max: inFlight });
  const postgres = createPgItemsRepository(pool);
  const id = (i: number): number => 1 + (i % 1000);
  try {
    for (let i = 0; i < 500; i++) { sqlite.get(id(i)); await postgres.get(id(i)); } // warm both
    const sync = await time(count, () => { for (let i = 0; i < count; i++) sqlite.get(id(i)); });
    const sequential = await time(count, async () => { for (let i = 0; i < count; i++) await postgres.get(id(i)); });
    const concurrent = await time(count, async () => {
      let next = 0;
      await Promise.all(Array.from({ length: inFlight }, async () => { while (next < count) await postgres.get(id(next++)); }));
    });
    const line = (label: string, t: Timing): string => `  ${label.padEnd(44)} ${t.usPerGet.toFixed(1).padStart(7)} µs per get, event loop busy ${(t.elu * 100).toFixed(0)}%`;
    return [
      `get by id in the bench process, ${count} lookups each:`,
      line('better-sqlite3 (synchronous, in-process)', sync),
      line('PostgreSQL via pg, one at a time', sequential),
      line(`PostgreSQL via pg, ${inFlight} in flight (pool of ${inFlight})`, concurrent),
    ];
  } finally {
    db.close();
    await pool.end();
  }
}
