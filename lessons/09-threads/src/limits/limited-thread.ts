/**
 * A worker thread with `resourceLimits`: its own heap cap, enforced by V8 for that isolate
 * alone. When the thread runs out of heap, or calls process.exit(), the thread ends; the
 * process, its main thread and every other thread carry on.
 */
import { Worker } from 'node:worker_threads';

/** How the thread ended. */
export interface ThreadEnd {
  exitCode: number;
  /** `code` of the 'error' event, e.g. ERR_WORKER_OUT_OF_MEMORY; undefined for a clean exit. */
  errorCode?: string;
  /** V8's `heap_size_limit` inside the thread (MiB): old generation cap + young generation. */
  heapLimitMiB: number;
}

// Plain JavaScript, so the demo does not depend on a TypeScript loader in the thread.
const threadSource = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit / 2 ** 20);
if (workerData === 'exit') process.exit(3);
const kept = [];
for (;;) kept.push(new Array(100_000).fill(1.5));
`;

/** Starts a thread capped at `maxOldGenerationSizeMb` that allocates until it dies, or exits with 3. */
export function runLimitedThread(behaviour: 'allocate' | 'exit', maxOldGenerationSizeMb = 16): Promise<ThreadEnd> {
  return new Promise((resolve) => {
    // LESSON: resourceLimits caps this thread's heap; running out ends the thread, not the process.
    const worker = new Worker(threadSource, { eval: true, workerData: behaviour, resourceLimits: { maxOldGenerationSizeMb } });
    let heapLimitMiB = Number.NaN;
    let errorCode: string | undefined;
    worker.on('message', (limit: number) => { heapLimitMiB = limit; });
    worker.on('error', (error: Error & { code?: string }) => { errorCode = error.code ?? error.name; });
    worker.on('exit', (exitCode) => resolve({ exitCode, errorCode, heapLimitMiB }));
  });
}
