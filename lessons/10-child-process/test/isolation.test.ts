import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { runLimitedThread } from 'lesson-09';
import { describe, expect, it } from 'vitest';

// What a thread survives and what only a process boundary contains.
describe('crash domains: thread vs process', () => {
  it('a thread that runs out of its own heap (resourceLimits) ends alone; the process carries on', async () => {
    const end = await runLimitedThread('allocate', 16);
    expect(end).toMatchObject({ exitCode: 1, errorCode: 'ERR_WORKER_OUT_OF_MEMORY' });
  });

  it('a thread that calls process.exit(3) ends alone, with exit code 3', async () => {
    expect((await runLimitedThread('exit')).exitCode).toBe(3);
  });

  it('a fatal signal raised from a thread (what a native crash is) kills the whole process', async () => {
    const program = `
      const { Worker } = require('node:worker_threads');
      new Worker('process.kill(process.pid, "SIGSEGV")', { eval: true });
      setInterval(() => {}, 1000);`;
    const outcome = await promisify(execFile)(process.execPath, ['-e', program]).then(() => undefined, (error: unknown) => error as { signal?: string });
    expect(outcome?.signal).toBe('SIGSEGV');
  });

  it('the same signal in a child process kills only the child', async () => {
    const child = spawn(process.execPath, ['-e', 'process.kill(process.pid, "SIGSEGV")'], { stdio: 'ignore' });
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGSEGV' });
    expect(process.memoryUsage().rss).toBeGreaterThan(0); // this process is still here to check
  });
});
