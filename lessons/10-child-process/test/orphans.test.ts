import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { forkTs } from '../src/fork-ts.ts';

const intermediate = new URL('./fixtures/intermediate-parent.ts', import.meta.url);

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function startFamily(mode: 'guarded' | 'unguarded'): Promise<{ parent: ChildProcess; childPid: number }> {
  const parent = forkTs(intermediate, [mode], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [message] = (await once(parent, 'message')) as [{ childPid: number }];
  return { parent, childPid: message.childPid };
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('no orphans', () => {
  it('a guarded child exits by itself when its parent is SIGKILLed', async () => {
    const { parent, childPid } = await startFamily('guarded');
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    try {
      expect(await waitUntil(() => !alive(childPid), 10_000)).toBe(true);
    } finally {
      if (alive(childPid)) process.kill(childPid, 'SIGKILL');
    }
  });

  it('an unguarded child outlives its SIGKILLed parent (why the guard exists)', async () => {
    const { parent, childPid } = await startFamily('unguarded');
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    try {
      // Give it the same chance the guarded child needed; it has no reason to exit.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(alive(childPid)).toBe(true);
    } finally {
      process.kill(childPid, 'SIGKILL');
      await waitUntil(() => !alive(childPid), 5000);
    }
  });
});
