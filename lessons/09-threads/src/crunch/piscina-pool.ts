/**
 * The same pool with piscina, the tool to use for real: it adds what the hand-written one
 * leaves out (idle timeouts, min/max threads, histograms of run and wait time, resource
 * limits, atomics-based wake-ups that are cheaper than plain messages).
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { QueueFullError } from '../pool/errors.ts';
import { tsExecArgv } from '../pool/exec-argv.ts';
import type { CrunchInput, CrunchResult } from './crunch.ts';
import { crunchTaskModule, type Cruncher, type PoolOptions } from './cruncher.ts';

/** Runs crunches on piscina. */
export function createPiscinaCruncher(options: PoolOptions = {}): Cruncher {
  const threads = options.threads ?? availableParallelism();
  const maxQueue = options.maxQueue ?? 64;
  const pool = new Piscina<CrunchInput, CrunchResult>({
    filename: (options.taskModule ?? crunchTaskModule).href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue,
    // LESSON: without this a .ts task file fails to load in the worker (no tsx there).
    execArgv: tsExecArgv(),
  });
  return {
    name: 'piscina',
    run: (input: CrunchInput, signal?: AbortSignal) => {
      // piscina 5.3.2 parks a task that has an AbortSignal in a second queue that its
      // maxQueue check does not count, so with signals the bound is never hit (our
      // queue-bound test caught it). queueSize does count both: check it ourselves.
      if (pool.queueSize >= maxQueue) return Promise.reject(new QueueFullError(maxQueue));
      return pool.run(input, { signal });
    },
    stats: () => ({
      threads: pool.threads.length,
      queued: pool.queueSize,
      completed: pool.completed,
      utilization: Math.round(pool.utilization * 1000) / 1000,
    }),
    close: () => pool.close({ force: true }),
  };
}
