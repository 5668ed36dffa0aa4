/**
 * `kill -9` of whatever started the stack must not leave PostgreSQL, Redis, HAProxy or a host
 * running: engines get a parent-death signal (setpriv --pdeathsig), hosts watch their IPC
 * channel, workers watch their host.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findSetpriv } from '../src/engines/child.ts';
import { isAlive } from '../src/stack.ts';
import { skipWithoutEngines } from './engines-gate.ts';

const holder = fileURLToPath(new URL('./fixtures/hold-stack.ts', import.meta.url));

/** Polls until none of `pids` is alive or `deadlineMs` has passed; returns those still alive. */
async function survivors(pids: number[], deadlineMs: number): Promise<number[]> {
  const deadline = Date.now() + deadlineMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 200)) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

// Linux only: the parent-death signal is a Linux feature, and setpriv is util-linux's.
describe.skipIf(skipWithoutEngines() || findSetpriv() === null)('a stack whose parent is killed with SIGKILL', () => {
  it('takes every engine, host and worker with it', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', holder], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(parent, 'exit');
    let pids: { named: { postgres: number; redis: number; haproxy: number; hosts: number[] }; all: number[] };
    try {
      const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
      pids = JSON.parse(line);
      // postgres (and its backends), redis, haproxy, 2 host primaries and their 2 workers
      expect(pids.all.length).toBeGreaterThanOrEqual(7);
      expect(pids.all.filter(isAlive)).toEqual(pids.all);
    } catch (error) {
      parent.kill('SIGTERM');
      await exited;
      throw error;
    }

    parent.kill('SIGKILL');
    await exited;

    // Bounded: a host's own stop is its lame duck (100 ms) and a drain; engines stop at once.
    const left = await survivors(pids.all, 20_000);
    const { named } = pids;
    const label = (pid: number): string => Object.entries(named).find(([, v]) => v === pid || (Array.isArray(v) && v.includes(pid)))?.[0] ?? 'child';
    // Clean up before asserting, so a failure leaves nothing behind either.
    for (const pid of left) process.kill(pid, 'SIGKILL');
    // Nobody was left to remove the killed parent's scratch folder (scratchDir names it by pid).
    for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(`lesson-13-stack-${parent.pid}-`))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    expect(left.map((pid) => `${label(pid)} ${pid}`)).toEqual([]);
  });
});
