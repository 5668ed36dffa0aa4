/**
 * A child process of the pool: loads the task module given as argv[2], runs one task per
 * message, answers with the same id. Exits when the parent goes away.
 */
import { pathToFileURL } from 'node:url';
import { exitWithParent } from '../fork-ts.ts';
import type { TaskRequest, WorkerMessage } from 'lesson-09';

exitWithParent();
const taskModule = process.argv[2];
if (!taskModule) throw new Error('usage: pool-child.ts <task module path>');
// A parent that closed the pool while this child was still loading has no channel left: with a
// callback, that failure is handled here instead of surfacing as an unhandled 'error' event
// (exitWithParent ends this process once the parent is gone).
const send = (message: WorkerMessage): void => {
  if (!process.connected) return;
  process.send!(message, undefined, undefined, (error) => {
    if (error && (error as NodeJS.ErrnoException).code !== 'ERR_IPC_CHANNEL_CLOSED') throw error;
  });
};

// LESSON: a message the parent sent before this line runs is not lost: Node queues IPC
// messages that arrive while no 'message' listener exists and delivers them to the first one
// (test/child-pool.test.ts sends a task before the child has loaded anything).
const mod = (await import(pathToFileURL(taskModule).href)) as { default: (payload: unknown) => unknown };

process.on('message', async (message: TaskRequest) => {
  if (message.type !== 'task') return;
  try {
    send({ type: 'result', id: message.id, result: await mod.default(message.payload) });
  } catch (error) {
    // Errors do not survive JSON; send the parts the parent needs (the cause carries a
    // field name for input errors, see lesson 09's inputError).
    const e = error as Error;
    send({ type: 'error', id: message.id, error: { message: e?.message ?? String(error), cause: e?.cause } });
  }
});
send({ type: 'ready' });
