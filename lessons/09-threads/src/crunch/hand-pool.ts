/**
 * The hand-written pool behind the crunch route: fixed threads, bounded queue.
 */
import { WorkerPool } from '../pool/worker-pool.ts';
import { defaultPoolSize } from '../pool/pool-size.ts';
import type { CrunchInput, CrunchResult } from './crunch.ts';
import { crunchTaskModule, type Cruncher, type PoolOptions } from './cruncher.ts';

/** Runs crunches on a {@link WorkerPool}. */
export function createHandPoolCruncher(options: PoolOptions = {}): Cruncher {
  const pool = new WorkerPool({
    taskModule: options.taskModule ?? crunchTaskModule,
    size: options.threads ?? defaultPoolSize(),
    maxQueue: options.maxQueue ?? 64,
  });
  return {
    name: 'hand-pool',
    run: (input: CrunchInput, signal?: AbortSignal) => pool.run<CrunchResult>(input, { signal }),
    stats: () => {
      const { workers, ...rest } = pool.stats();
      return { threads: workers, ...rest };
    },
    close: () => pool.close(),
  };
}
