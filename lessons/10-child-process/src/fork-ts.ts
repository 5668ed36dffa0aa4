/**
 * fork() for a TypeScript entry, and the guard every forked child installs.
 */
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsExecArgv } from 'lesson-09';

/**
 * Forks `entry` (a .ts file) with tsx loaded in the child. A child process, unlike a worker
 * thread, gets `--import tsx` the normal way: it is a whole new Node process.
 */
export function forkTs(entry: URL, args: string[] = [], options: ForkOptions = {}): ChildProcess {
  return fork(fileURLToPath(entry), args, { ...options, execArgv: [...tsExecArgv(), ...(options.execArgv ?? [])] });
}

/**
 * Call first thing in a forked child: exit when the IPC channel to the parent closes.
 * The channel closes when the parent exits for any reason, SIGKILL included (the kernel
 * closes its end of the socket pair), so the child never outlives it as an orphan.
 */
export function exitWithParent(code = 0): void {
  if (!process.send) throw new Error('exitWithParent() needs an IPC channel: start this file with fork()');
  // LESSON: 'disconnect' is how a child learns its parent is gone, even after a SIGKILL.
  process.once('disconnect', () => process.exit(code));
}
