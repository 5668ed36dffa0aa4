/**
 * Several threads incrementing one counter in a SharedArrayBuffer: with Atomics.add every
 * update lands; with a plain `counter[0]++` some are lost under contention.
 */
import { once } from 'node:events';
import { startTsWorker } from '../pool/ts-worker.ts';

/** Result of {@link countWithThreads}. */
export interface CountResult { expected: number; actual: number; lost: number }

const counterWorker = new URL('./counter-worker.ts', import.meta.url);

/** Starts `threads` workers that each add 1 `increments` times to one shared Int32. */
export async function countWithThreads(options: { threads: number; increments: number; atomic: boolean }): Promise<CountResult> {
  const buffer = new SharedArrayBuffer(4);
  const start = new SharedArrayBuffer(4);
  const workers = Array.from({ length: options.threads }, () =>
    startTsWorker(counterWorker, { buffer, start, increments: options.increments, atomic: options.atomic }));
  try {
    const done = workers.map((w) => new Promise<void>((resolve, reject) => {
      w.on('message', (m) => { if (m === 'done') resolve(); });
      w.once('error', reject);
    }));
    await Promise.all(workers.map((w) => once(w, 'message')));
    // Open the gate for all threads at once.
    Atomics.store(new Int32Array(start), 0, 1);
    Atomics.notify(new Int32Array(start), 0);
    await Promise.all(done);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const expected = options.threads * options.increments;
  const actual = Atomics.load(new Int32Array(buffer), 0);
  return { expected, actual, lost: expected - actual };
}
