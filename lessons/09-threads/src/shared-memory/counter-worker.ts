/**
 * Increments a shared counter `increments` times, atomically or not.
 */
import { workerData, parentPort } from 'node:worker_threads';

const { buffer, increments, atomic, start } = workerData as { buffer: SharedArrayBuffer; increments: number; atomic: boolean; start: SharedArrayBuffer };
const counter = new Int32Array(buffer);
// Every thread waits at the same gate, so the increments really overlap.
parentPort!.postMessage('ready');
Atomics.wait(new Int32Array(start), 0, 0);
for (let i = 0; i < increments; i++) {
  if (atomic) {
    // LESSON: one indivisible read-modify-write; no other thread can slip in between.
    Atomics.add(counter, 0, 1);
  } else {
    // Read, add, write: two threads can read the same value and one increment is lost.
    counter[0] = counter[0]! + 1;
  }
}
parentPort!.postMessage('done');
