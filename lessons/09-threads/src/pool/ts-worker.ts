/**
 * Starts a Worker whose code is a TypeScript module, under node, tsx and vitest alike.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

const tsEntry = new URL('./ts-entry.mjs', import.meta.url);

/**
 * `new Worker(entry)` for a `.ts` entry. `workerData` must be an object; its `entry` key
 * is taken (the module to import in the thread).
 */
export function startTsWorker(entry: URL, workerData: Record<string, unknown> = {}, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  return new Worker(tsEntry, { ...options, workerData: { ...workerData, entry: entry.href } });
}
