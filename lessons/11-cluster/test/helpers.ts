/**
 * Test helpers: requests on fresh connections (so the primary's round-robin spreads them),
 * a load loop that records every outcome, and a cluster on a temporary database (one per
 * `describe` with {@link useCluster}, or per test with {@link startTestCluster}).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { repoRoot } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { createPrimary, type Primary, type PrimaryOptions } from '../src/primary.ts';
import { prepareDatabase } from '../src/database.ts';
import { workerExecArgv } from '../src/worker-exec-argv.ts';
import { withTimeout } from '@course/shared/testing';

export const workerEntry = fileURLToPath(new URL('../src/worker.ts', import.meta.url));

export { send, sendUntil, startLoad, sleep, withTimeout, type Reply, type Outcome, type Load } from '@course/shared/testing';

/** A fresh database file under the repo's tmp/, seeded; removed by the returned function. */
export function tempDatabase(name: string, seedCount: number): { dbPath: string; remove: () => void } {
  const dir = join(repoRoot, 'tmp', 'lesson-11', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'test.db');
  prepareDatabase(dbPath, seedCount);
  return { dbPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A primary in this (test) process, its workers on a random port and a temporary database. */
export async function startCluster(dbPath: string, options: Partial<PrimaryOptions> & { env?: NodeJS.ProcessEnv } = {}): Promise<{ primary: Primary; url: string }> {
  const primary = createPrimary({
    exec: workerEntry,
    workers: 2,
    execArgv: workerExecArgv(tsxImportArgs),
    shutdownTimeoutMs: 3000,
    // Generous: six builds share these two cores, and a worker's start (tsx, SQLite) slows down.
    readyTimeoutMs: 90_000,
    log: () => {},
    listen: { host: '127.0.0.1', port: 0 }, // as src/server.ts does
    ...options,
    env: { PORT: '0', HOST: '127.0.0.1', DB_PATH: dbPath, SEED_COUNT: '0', SHUTDOWN_TIMEOUT_MS: '3000', ...options.env },
  });
  try {
    const url = await withTimeout(primary.ready, 90_000, 'cluster ready');
    return { primary, url };
  } catch (error) {
    await primary.stop();
    throw error;
  }
}

/** A running test cluster on a database of its own; `stop` stops the workers and removes the database. */
export interface TestCluster {
  primary: Primary;
  url: string;
  dbPath: string;
  stop(): Promise<void>;
}

/** {@link startCluster} on a fresh {@link tempDatabase} of `seedCount` items. */
export async function startTestCluster(name: string, seedCount: number, options: Parameters<typeof startCluster>[1] = {}): Promise<TestCluster> {
  const db = tempDatabase(name, seedCount);
  try {
    const running = await startCluster(db.dbPath, options);
    return { ...running, dbPath: db.dbPath, stop: async () => { await running.primary.stop(); db.remove(); } };
  } catch (error) {
    db.remove();
    throw error;
  }
}

/**
 * One cluster for the enclosing `describe`: started in `beforeAll`, stopped in `afterAll`.
 * Read its fields inside tests (they are set once `beforeAll` ran).
 */
export function useCluster(name: string, seedCount: number, options: Parameters<typeof startCluster>[1] = {}): TestCluster {
  let running: TestCluster | undefined;
  const get = (): TestCluster => {
    if (!running) throw new Error(`cluster ${name} is not running (did beforeAll fail?)`);
    return running;
  };
  beforeAll(async () => { running = await startTestCluster(name, seedCount, options); }, 120_000);
  afterAll(async () => { await running?.stop(); }, 30_000);
  return {
    get primary() { return get().primary; },
    get url() { return get().url; },
    get dbPath() { return get().dbPath; },
    stop: () => get().stop(),
  };
}
