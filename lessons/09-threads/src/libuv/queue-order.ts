/**
 * Child process for the libuv pool test: submits a slow crypto.pbkdf2, then a fast one, and
 * reports the order in which they finished. With one pool thread the fast call waits in the
 * pool's FIFO queue behind the slow one; with two, it runs beside it and finishes first.
 */
import { pbkdf2 } from 'node:crypto';

/** What the child reports. */
export interface QueueOrderReport {
  /** Names in completion order. */
  order: ('slow' | 'fast')[];
  /** When each call finished, ms after both were submitted (recorded by this child). */
  doneMs: { slow: number; fast: number };
}

const slowIterations = Number(process.env.SLOW_ITERATIONS ?? 200_000);
const order: QueueOrderReport['order'] = [];
const doneMs = { slow: 0, fast: 0 };
const start = performance.now();
const hash = (name: 'slow' | 'fast', iterations: number) => new Promise<void>((resolve, reject) => {
  // LESSON: an async pbkdf2 is a job for the libuv pool; with every pool thread busy it queues.
  pbkdf2('password', name, iterations, 64, 'sha512', (error) => {
    if (error) { reject(error); return; }
    order.push(name);
    doneMs[name] = performance.now() - start;
    resolve();
  });
});
await Promise.all([hash('slow', slowIterations), hash('fast', 1)]);
process.send?.({ order, doneMs } satisfies QueueOrderReport);
