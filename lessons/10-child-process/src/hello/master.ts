/**
 * The master of the master/child example: fork the child, send it messages, await typed
 * replies. `node --import tsx src/hello/master.ts` runs it (`pnpm run hello`).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { forkTs } from '../fork-ts.ts';
import type { ToChild, ToParent } from './messages.ts';

/** A forked hello child. */
export interface HelloChild {
  pid: number;
  child: ChildProcess;
  greet(name: string): Promise<string>;
  add(a: number, b: number): Promise<number>;
  close(): Promise<void>;
}

/** Forks src/hello/child.ts and waits for its `ready`. */
export async function startHelloChild(): Promise<HelloChild> {
  const child = forkTs(new URL('./child.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T extends ToParent['type']>(type: T, id?: number) => new Promise<Extract<ToParent, { type: T }>>((resolve, reject) => {
    const onMessage = (message: ToParent): void => {
      if (message.type !== type || (id !== undefined && 'id' in message && message.id !== id)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<ToParent, { type: T }>);
    };
    const onExit = (code: number | null): void => { child.off('message', onMessage); reject(new Error(`child exited with code ${code}`)); };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  const send = (message: ToChild): void => { child.send(message); };
  const ready = await next('ready');
  let nextId = 1;
  return {
    pid: ready.pid,
    child,
    greet: async (name) => {
      // LESSON: the id pairs this answer with this question, however many are in flight.
      const id = nextId++;
      const reply = next('greeting', id);
      send({ type: 'hello', id, name });
      return (await reply).text;
    },
    add: async (a, b) => {
      const id = nextId++;
      const reply = next('sum', id);
      send({ type: 'add', id, a, b });
      return (await reply).value;
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      // Closing the channel is enough: the child's exitWithParent() guard exits it.
      child.disconnect();
      await exited;
    },
  };
}

/**
 * True when this file is the program node was started with. Compares paths, not URLs: the
 * URL of `/a b/master.ts` is `file:///a%20b/master.ts`, so comparing it with
 * `file://${argv[1]}` silently fails from a folder with a space. (Node ≥ 22.18 has
 * `import.meta.main`; Node 20 does not.)
 */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && realpathSync(entry) === fileURLToPath(import.meta.url);
}

if (isEntryPoint()) {
  const hello = await startHelloChild();
  console.log(`master ${process.pid} forked child ${hello.pid}`);
  console.log(await hello.greet('master'));
  console.log(`2 + 3 = ${await hello.add(2, 3)} (computed in ${hello.pid})`);
  await hello.close();
}
