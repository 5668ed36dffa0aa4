/**
 * A child process of the pool: loads the task module given as argv[2], runs one task per
 * message, answers with the same id. Exits when the parent goes away.
 */
import { pathToFileURL } from 'node:url';
import { exitWithParent } from '../fork-ts.ts';
import type { ChildMessage, TaskRequest } from './protocol.ts';

exitWithParent();
const taskModule = process.argv[2];
if (!taskModule) throw new Error('usage: pool-child.ts <task module path>');
// The listener goes on before any await: a message that arrives while no listener is
// attached is dropped, so the module is awaited inside the handler instead.
const loaded = import(pathToFileURL(taskModule).href) as Promise<{ default: (payload: unknown) => unknown }>;
const send = (message: ChildMessage): void => { process.send!(message); };

process.on('message', async (message: TaskRequest) => {
  if (message.type !== 'task') return;
  try {
    const mod = await loaded;
    send({ type: 'result', id: message.id, result: await mod.default(message.payload) });
  } catch (error) {
    // Errors do not survive JSON; send the parts the parent needs (the cause carries a
    // field name for input errors, see lesson 09's inputError).
    const e = error as Error;
    send({ type: 'error', id: message.id, error: { message: e?.message ?? String(error), cause: e?.cause } });
  }
});
loaded.then(() => send({ type: 'ready' }), (error: unknown) => { console.error(error); process.exit(1); });
