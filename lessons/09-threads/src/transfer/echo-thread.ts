/**
 * A worker thread that echoes messages: the cost of postMessage alone, copy vs transfer.
 * Lesson 10 compares it with child-process IPC.
 */
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../pool/ts-worker.ts';

/** A running echo thread. */
export interface EchoThread {
  /**
   * Sends `payload` and resolves with what comes back. With `transfer`, an ArrayBuffer is
   * moved both ways (the sender's copy is detached, byteLength 0) instead of copied.
   */
  roundTrip<T>(payload: T, options?: { transfer?: boolean }): Promise<T>;
  close(): Promise<void>;
}

const echoWorker = new URL('./echo-worker.ts', import.meta.url);

/** Starts an echo thread and waits until it runs. */
export async function startEchoThread(): Promise<EchoThread> {
  const worker: Worker = startTsWorker(echoWorker);
  await once(worker, 'online');
  // One message in flight at a time, so the next 'message' event is our answer.
  return {
    roundTrip: async <T>(payload: T, options: { transfer?: boolean } = {}) => {
      const transfer = options.transfer === true && payload instanceof ArrayBuffer;
      // LESSON: the transfer list moves the buffer's memory to the other thread: O(1), no copy.
      worker.postMessage({ payload, transfer }, transfer ? [payload as ArrayBuffer] : []);
      const [message] = (await once(worker, 'message')) as [{ payload: T }];
      return message.payload;
    },
    close: async () => { await worker.terminate(); },
  };
}
