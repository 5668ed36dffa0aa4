/**
 * Child process for the libuv pool comparison: starts `calls` crypto.pbkdf2 at once and
 * reports when each finished. Runs in its own process because UV_THREADPOOL_SIZE is read
 * once, when the pool is first used: it cannot change inside a running process.
 */
import { pbkdf2 } from 'node:crypto';

/** What the child reports to its parent. */
export interface BatchReport {
  poolSize: number;
  wallMs: number;
  /** Completion time of each call, from the common start (ms). */
  doneMs: number[];
}

const calls = Number(process.env.PBKDF2_CALLS ?? 8);
const iterations = Number(process.env.PBKDF2_ITERATIONS ?? 100_000);
const start = performance.now();
const doneMs = await Promise.all(Array.from({ length: calls }, (_, i) => new Promise<number>((resolve, reject) => {
  // LESSON: pbkdf2 (async) runs on a libuv pool thread; the main thread only waits.
  pbkdf2('password', `salt-${i}`, iterations, 64, 'sha512', (error) => (error ? reject(error) : resolve(performance.now() - start)));
})));
const report: BatchReport = { poolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4), wallMs: performance.now() - start, doneMs };
process.send?.(report);
