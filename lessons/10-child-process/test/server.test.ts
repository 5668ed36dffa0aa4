import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tsxImportArgs } from '@course/shared/bench';
import { requestJson, spawnServer } from '@course/shared/testing';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/server.ts', import.meta.url));

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('server.ts (the production start command)', () => {
  it('serves POST /crunch from a child process and leaves no child behind after SIGTERM', async () => {
    const server = await spawnServer(entry, { env: { CHILDREN: '2', DB_PATH: ':memory:', SEED_COUNT: '10' } });
    try {
      const res = await requestJson(`${server.url}/crunch`, { method: 'POST', body: { size: 32, passes: 2 } });
      expect(res.status).toBe(200);
      expect(res.body.pid).not.toBe(server.pid);
      expect(alive(res.body.pid)).toBe(true);
      await server.close();
      expect(server.child.exitCode).toBe(0);
      expect(alive(res.body.pid)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('does not start (exit 1, saying why) when no child can load its task module', async () => {
    const broken = fileURLToPath(new URL('./fixtures/broken-task.ts', import.meta.url));
    const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', CHILDREN: '2', DB_PATH: ':memory:', SEED_COUNT: '10', CRUNCH_TASK_MODULE: broken };
    // A server that listens anyway runs until this timeout kills it (code null): the test fails.
    const run = promisify(execFile)(process.execPath, [...tsxImportArgs, entry], { env, timeout: 25_000 });
    const failure = (await run.then(() => undefined, (e: unknown) => e)) as { code?: number | null; stdout: string; stderr: string } | undefined;
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/lesson-10: not starting: No worker of the pool could start/);
    expect(failure?.stdout).not.toMatch(/listening/i);
  }, 40_000);

  it('leaves no child behind when the server itself is SIGKILLed', async () => {
    const server = await spawnServer(entry, { env: { CHILDREN: '2', DB_PATH: ':memory:', SEED_COUNT: '10' } });
    const res = await requestJson(`${server.url}/crunch`, { method: 'POST', body: { size: 32, passes: 2 } });
    const childPid = res.body.pid as number;
    server.child.kill('SIGKILL');
    await server.close();
    try {
      const end = Date.now() + 10_000;
      while (alive(childPid) && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(alive(childPid)).toBe(false);
    } finally {
      if (alive(childPid)) process.kill(childPid, 'SIGKILL');
    }
  });
});
