/**
 * The entry point as a learner runs it: `src/server.ts` seeds once, forks the workers,
 * restarts them on SIGHUP, and takes them all down on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@course/shared';
import { spawnServer, type ServerProcess } from '@course/shared/testing';
import { send, sleep, tempDatabase } from './helpers.ts';

const serverEntry = fileURLToPath(new URL('../src/server.ts', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function workerPids(url: string, expected: number): Promise<number[]> {
  const pids = new Set<number>();
  for (let i = 0; i < 20 && pids.size < expected; i++) pids.add((await send(`${url}/items/1`)).pid!);
  return [...pids].sort();
}

describe('src/server.ts', () => {
  const db = tempDatabase('server', 0);
  let server: ServerProcess;

  beforeAll(async () => {
    server = await spawnServer(serverEntry, { env: { WORKERS: '2', DB_PATH: db.dbPath, SEED_COUNT: '300', SHUTDOWN_TIMEOUT_MS: '3000' }, timeoutMs: 120_000 });
  }, 150_000);

  afterAll(async () => {
    await server?.close(15_000);
    db.remove();
  }, 30_000);

  it('seeds the database once, in the primary, and serves it from two workers', async () => {
    const check = openDatabase(db.dbPath);
    try {
      expect((check.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n).toBe(300);
    } finally {
      check.close();
    }
    const pids = await workerPids(server.url, 2);
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(server.pid);
  });

  it('replaces both workers on SIGHUP while answering', async () => {
    const before = await workerPids(server.url, 2);
    server.child.kill('SIGHUP');
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && before.some(alive)) {
      expect((await send(`${server.url}/items/2`)).status).toBe(200);
      await sleep(50);
    }
    expect(before.filter(alive)).toEqual([]);
    const after = await workerPids(server.url, 2);
    expect(after).toHaveLength(2);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
  }, 150_000);

  it('drains and stops every worker on SIGTERM, then exits 0', async () => {
    const pids = await workerPids(server.url, 2);
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
  }, 30_000);
});
