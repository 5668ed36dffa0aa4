/**
 * Times the same batch of pbkdf2 calls with several UV_THREADPOOL_SIZE values, one child
 * process per run.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { tsExecArgv } from '../pool/exec-argv.ts';
import type { BatchReport } from './pbkdf2-batch.ts';

const batch = new URL('./pbkdf2-batch.ts', import.meta.url);

/** Runs one batch in a child with the given libuv pool size. */
export async function runPbkdf2Batch(poolSize: number, options: { calls: number; iterations: number }): Promise<BatchReport> {
  const child = fork(batch, [], {
    execArgv: tsExecArgv(),
    env: { ...process.env, UV_THREADPOOL_SIZE: String(poolSize), PBKDF2_CALLS: String(options.calls), PBKDF2_ITERATIONS: String(options.iterations) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const [report] = (await Promise.race([once(child, 'message'), exited.then(([code]) => { throw new Error(`pbkdf2 batch exited with code ${code} before reporting`); })])) as [BatchReport];
  await exited;
  return report;
}
