/**
 * Times the same batch of pbkdf2 calls with several UV_THREADPOOL_SIZE values, one child
 * process per run.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { tsExecArgv } from '../pool/exec-argv.ts';
import type { BatchReport } from './pbkdf2-batch.ts';
import type { QueueOrderReport } from './queue-order.ts';

const batch = new URL('./pbkdf2-batch.ts', import.meta.url);
const queueOrder = new URL('./queue-order.ts', import.meta.url);

/** Forks `entry` with the given environment and resolves with the one message it sends. */
async function runChild<T>(entry: URL, env: Record<string, string>): Promise<T> {
  const child = fork(entry, [], { execArgv: tsExecArgv(), env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const [report] = (await Promise.race([once(child, 'message'), exited.then(([code]) => { throw new Error(`${entry.pathname} exited with code ${code} before reporting`); })])) as [T];
  await exited;
  return report;
}

/** A slow and a fast pbkdf2 submitted in that order, in a child with the given pool size. */
export function runQueueOrder(poolSize: number): Promise<QueueOrderReport> {
  return runChild<QueueOrderReport>(queueOrder, { UV_THREADPOOL_SIZE: String(poolSize) });
}

/** Runs one batch in a child with the given libuv pool size. */
export function runPbkdf2Batch(poolSize: number, options: { calls: number; iterations: number }): Promise<BatchReport> {
  return runChild<BatchReport>(batch, { UV_THREADPOOL_SIZE: String(poolSize), PBKDF2_CALLS: String(options.calls), PBKDF2_ITERATIONS: String(options.iterations) });
}
