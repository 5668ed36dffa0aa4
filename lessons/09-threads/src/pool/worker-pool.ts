/**
 * The hand-written pool with threads as its workers: task-pool.ts is the algorithm (bounded
 * queue, ids, replacement, cancellation), this file is the transport (start a Worker, post a
 * task, terminate). Lesson 10's ChildPool is the same algorithm with child processes.
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TaskRequest, WorkerMessage } from './protocol.ts';
import { TaskPool, type PoolWorker, type PoolWorkerEvents, type TaskPoolOptions, type TaskPoolStats } from './task-pool.ts';
import { tsWorkerArgs } from './ts-worker.ts';

export type { RunOptions } from './task-pool.ts';

/** Options for {@link WorkerPool}. */
export interface WorkerPoolOptions extends TaskPoolOptions {
  /** Absolute path (or file URL) of a module whose default export is the task function. */
  taskModule: string | URL;
}

/** Counters for /metrics (`workers` are threads here). */
export type PoolStats = TaskPoolStats;

const poolWorker = new URL('./pool-worker.ts', import.meta.url);

/** Starts one pool thread for `taskModule` (a file URL) and adapts it to the pool. */
export function startPoolThread(taskModule: string, events: PoolWorkerEvents): PoolWorker {
  // LESSON: a pool's worker is a thread, started once and reused for every task it runs
  // (pool-worker.ts is its code; tsWorkerArgs adds tsx on Node 20).
  const worker = new Worker(...tsWorkerArgs(poolWorker, { taskModule }));
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'ready') events.ready();
    else if (m.type === 'result') events.result(m.id, m.result);
    // An Error crosses postMessage by structured clone (message, stack and cause survive).
    else events.failure(m.id, m.error instanceof Error ? m.error : new Error(String(m.error)));
  });
  // 'error' is an uncaught exception inside the thread; 'exit' always follows it.
  let crash: unknown;
  worker.on('error', (error) => { crash = error; });
  worker.on('exit', (code) => events.exit(code, crash));
  return {
    post: (id, payload, transferList) => worker.postMessage({ type: 'task', id, payload } satisfies TaskRequest, [...transferList]),
    kill: () => { void worker.terminate(); },
    stop: async () => { await worker.terminate(); },
  };
}

/** A fixed-size pool of worker threads running one task module. */
export class WorkerPool extends TaskPool {
  constructor(options: WorkerPoolOptions) {
    const m = options.taskModule;
    const taskModule = m instanceof URL ? m.href : m.startsWith('file:') ? m : pathToFileURL(m).href;
    super((events) => startPoolThread(taskModule, events), options);
  }
}
