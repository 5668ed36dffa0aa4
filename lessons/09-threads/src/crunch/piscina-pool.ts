/**
 * The same pool with piscina, the tool to use for real: it adds what the hand-written one
 * leaves out (idle timeouts, min/max threads, histograms of run and wait time, resource
 * limits, atomics-based wake-ups that are cheaper than plain messages).
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { tsExecArgv } from '../pool/exec-argv.ts';
import type { CrunchInput, CrunchResult } from './crunch.ts';
import { crunchTaskModule, type Cruncher, type PoolOptions } from './cruncher.ts';

/** Runs crunches on piscina. */
export function createPiscinaCruncher(options: PoolOptions = {}): Cruncher {
  const threads = options.threads ?? availableParallelism();
  const pool = new Piscina<CrunchInput, CrunchResult>({
    filename: (options.taskModule ?? crunchTaskModule).href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue: options.maxQueue ?? 64,
    // LESSON: without this a .ts task file fails to load in the worker (no tsx there).
    execArgv: tsExecArgv(),
  });
  return {
    name: 'piscina',
    run: (input: CrunchInput, signal?: AbortSignal) => pool.run(input, { signal }),
    stats: () => ({
      threads: pool.threads.length,
      queued: pool.queueSize,
      completed: pool.completed,
      utilization: Math.round(pool.utilization * 1000) / 1000,
    }),
    close: () => pool.close({ force: true }),
  };
}
