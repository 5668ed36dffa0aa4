/**
 * SO_REUSEPORT on the running Node, tried for real: two sockets on one port, and
 * `npm run start:reuse-port`, which serves where the option exists and otherwise says so in one
 * line and exits with status 3 (src/reuse-port-server.ts, the README's Run section).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@course/shared';
import { nodeHasReusePort, reusePortWorks } from '../src/reuse-port.ts';
import { send, tempDatabase, withTimeout } from './helpers.ts';

const lessonDir = join(repoRoot, 'lessons', '11-cluster');

describe(`reusePort on the running Node (${process.versions.node})`, () => {
  it('lets two sockets listen on one port exactly where the version check says it can', async () => {
    expect(await reusePortWorks()).toBe(nodeHasReusePort());
  });

  it('npm run start:reuse-port serves on one port, or says in one line why it cannot and exits 3', async () => {
    const db = tempDatabase('reuse-port-start', 20);
    const child = spawn('npm', ['run', '--silent', 'start:reuse-port'], {
      cwd: lessonDir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: '0', WORKERS: '2', DB_PATH: db.dbPath, SEED_COUNT: '0' },
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      if (!(await reusePortWorks())) {
        expect(await withTimeout(exited, 60_000, 'exit')).toBe(3);
        const lines = err.trim().split('\n');
        expect(lines, err).toHaveLength(1);
        expect(lines[0]).toMatch(/needs Node 22\.12\+ or 23\.1\+.*nothing started/);
        expect(out).not.toMatch(/listening/);
        return;
      }
      const url = await withTimeout(new Promise<string>((resolve) => {
        child.stdout!.on('data', () => {
          const m = /reusePort: 2 process\(es\) on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
      }), 120_000, 'reusePort processes listening');
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await send(`${url}/items/1`)).status);
      expect(statuses).toEqual(Array(20).fill(200));
      process.kill(child.pid!, 'SIGTERM'); // to npm, which passes it on
      expect(await withTimeout(exited, 60_000, 'exit after SIGTERM')).toBe(0);
    } finally {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      db.remove();
    }
  }, 180_000);
});
