/**
 * The pid file through which `npm run deploy` finds the stack `npm start` runs.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `tmp/stack.pid` in this lesson's folder, or LESSON13_PID_FILE (tests). */
export function stackPidFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.LESSON13_PID_FILE || join(fileURLToPath(new URL('../tmp/', import.meta.url)), 'stack.pid');
}

/** Writes this process's pid; returns a function that removes the file if it is still ours. */
export function writeStackPid(file = stackPidFile()): () => void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${process.pid}\n`);
  return () => { if (readStackPid(file) === process.pid) rmSync(file, { force: true }); };
}

/** The pid in `file` when that process is alive, else undefined. */
export function readStackPid(file = stackPidFile()): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's: signalling it would fail the same way, say so then.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
