/**
 * The thread side of the hand-written pool: load the task module named in `workerData`,
 * then answer `{ id, task }` messages with `{ id, result }` or `{ id, error }`, one at a time.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/** Message from the pool to a worker. */
export interface TaskMessage { id: number; task: unknown }
/** Message from a worker to the pool. */
export type ResultMessage = { id: number; result: unknown } | { id: number; error: unknown };

const { taskModule } = workerData as { taskModule: string };
// require, not import(): on Node 20 this module itself is loaded by require (ts-entry.cjs),
// where top-level await is not allowed; on Node ≥ 22.18 require() loads ES modules too.
const mod = createRequire(import.meta.url)(fileURLToPath(taskModule)) as { default: (task: unknown) => unknown };
const port = parentPort!;

port.on('message', async ({ id, task }: TaskMessage) => {
  try {
    const result = await mod.default(task);
    port.postMessage({ id, result } satisfies ResultMessage);
  } catch (error) {
    // Caught and sent back: a task that throws is the caller's error, not the worker's death.
    port.postMessage({ id, error } satisfies ResultMessage);
  }
});
