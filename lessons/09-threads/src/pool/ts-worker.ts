/**
 * Starts a Worker whose code is a TypeScript module, on every Node the course supports.
 *
 * Node ≥ 22.18 strips TypeScript types itself (`process.features.typescript`), in worker
 * threads too, so there a `.ts` file is an ordinary Worker entry: `new Worker(entry)`, nothing
 * else. The modules a thread loads must then use erasable syntax only (no enums, no
 * constructor parameter properties): Node removes types, it does not compile.
 *
 * Node 20 has no type stripping, and `--import tsx` in a Worker's `execArgv` does not reach
 * the thread's ES module loader there (ERR_UNKNOWN_FILE_EXTENSION). tsx's require hook does
 * work in the thread, so on Node 20 the Worker starts from the 3-line ts-entry.cjs, which
 * `require`s the `.ts` module (no top-level await in thread code for that reason).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { tsExecArgv } from './exec-argv.ts';

/** True where Node runs `.ts` files itself (22.18 and later; not Node 20). */
export const nativeTypeStripping = Boolean((process.features as { typescript?: string | false }).typescript);

const tsEntry = new URL('./ts-entry.cjs', import.meta.url);

/**
 * The arguments of `new Worker` for a `.ts` entry, for `new Worker(...tsWorkerArgs(entry))`:
 * the entry itself where Node strips types, else ts-entry.cjs with tsx.
 */
export function tsWorkerArgs(entry: URL, workerData: Record<string, unknown> = {}, options: Omit<WorkerOptions, 'workerData'> = {}): [URL, WorkerOptions] {
  // LESSON: on the reference Node (26) this is all it takes to run a .ts file in a thread.
  if (nativeTypeStripping) return [entry, { ...options, workerData }];
  return [tsEntry, { execArgv: tsExecArgv(), ...options, workerData: { ...workerData, entry: entry.href } }];
}

/** `new Worker(entry)` for a `.ts` entry. */
export function startTsWorker(entry: URL, workerData: Record<string, unknown> = {}, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  return new Worker(...tsWorkerArgs(entry, workerData, options));
}
