/**
 * The same pool with piscina, the tool to use for real: it adds what the hand-written one
 * leaves out (idle timeouts, min/max threads, histograms of run and wait time, resource
 * limits). Like the hand-written pool it posts every task over a MessagePort; what differs
 * is the wake-up: an idle piscina thread sleeps in `Atomics.wait` and reads the message with
 * `receiveMessageOnPort`, instead of waiting for a 'message' event on its event loop.
 */
import { Piscina } from 'piscina';
import { QueueFullError } from '../pool/errors.ts';
import { tsExecArgv } from '../pool/exec-argv.ts';
import { nativeTypeStripping } from '../pool/ts-worker.ts';
import { defaultPoolSize } from '../pool/pool-size.ts';
import type { CrunchInput, CrunchResult } from './crunch.ts';
import { crunchTaskModule, type Cruncher, type PoolOptions } from './cruncher.ts';

/** Runs crunches on piscina. */
export function createPiscinaCruncher(options: PoolOptions = {}): Cruncher {
  const threads = options.threads ?? defaultPoolSize();
  const maxQueue = options.maxQueue ?? 64;
  const pool = new Piscina<CrunchInput, CrunchResult>({
    filename: (options.taskModule ?? crunchTaskModule).href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue,
    // Node 20 cannot load a .ts task in a thread without tsx; later Nodes strip types themselves.
    ...(nativeTypeStripping ? {} : { execArgv: tsExecArgv() }),
  });
  let inFlight = 0;
  return {
    name: 'piscina',
    run: async (input: CrunchInput, signal?: AbortSignal) => {
      // piscina 5.3.2 does not enforce its own maxQueue for a task that carries an
      // AbortSignal (three tasks with signals on one thread and maxQueue 1 all run), so the
      // bound is kept here. It counts tasks in flight, running and waiting: comparing
      // queueSize with maxQueue alone refused every task when maxQueue was 0, idle threads or not.
      // LESSON: at most `threads` tasks run and `maxQueue` wait; one more is refused at once.
      if (inFlight >= threads + maxQueue) throw new QueueFullError(maxQueue);
      inFlight++;
      try {
        return await pool.run(input, { signal });
      } finally {
        inFlight--;
      }
    },
    stats: () => ({
      threads: pool.threads.length,
      running: inFlight - pool.queueSize,
      queued: pool.queueSize,
      completed: pool.completed,
      utilization: Math.round(pool.utilization * 1000) / 1000,
    }),
    close: () => pool.close({ force: true }),
  };
}
