/**
 * Test helpers: requests on fresh connections (so the primary's round-robin spreads them),
 * a load loop that records every outcome, and a cluster on a temporary database.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { createPrimary, type Primary, type PrimaryOptions } from '../src/primary.ts';
import { prepareDatabase } from '../src/database.ts';
import { workerExecArgv } from '../src/worker-exec-argv.ts';

export const workerEntry = fileURLToPath(new URL('../src/worker.ts', import.meta.url));

export { send, sendUntil, startLoad, sleep, type Reply, type Outcome, type Load } from './load.ts';

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

/** Rejects if `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms); }),
  ]);
}
