/**
 * The thread side of the hand-written pool: load the task module named in `workerData`, say
 * `ready`, then answer each task with its result or its error, one at a time.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { TaskRequest, WorkerMessage } from './protocol.ts';

const { taskModule } = workerData as { taskModule: string };
// require, not import(): on Node 20 this module itself is loaded by require (ts-entry.cjs),
// where top-level await is not allowed; on Node ≥ 22.18 require() loads ES modules too.
const mod = createRequire(import.meta.url)(fileURLToPath(taskModule)) as { default: (task: unknown) => unknown };
const port = parentPort!;
const send = (message: WorkerMessage): void => port.postMessage(message);

port.on('message', async ({ id, payload }: TaskRequest) => {
  try {
    send({ type: 'result', id, result: await mod.default(payload) });
  } catch (error) {
    // Caught and sent back: a task that throws is the caller's error, not the worker's death.
    send({ type: 'error', id, error });
  }
});
send({ type: 'ready' });
