/**
 * Starts a Worker whose code is a TypeScript module, under node --import tsx, tsx and vitest.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { tsExecArgv } from './exec-argv.ts';

const tsEntry = new URL('./ts-entry.cjs', import.meta.url);

/**
 * `new Worker(entry)` for a `.ts` entry. The module is loaded with require (see
 * ts-entry.cjs), so it must not use top-level await. `workerData.entry` is taken.
 */
export function startTsWorker(entry: URL, workerData: Record<string, unknown> = {}, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  return new Worker(tsEntry, { execArgv: tsExecArgv(), ...options, workerData: { ...workerData, entry: entry.href } });
}
