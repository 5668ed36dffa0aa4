import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase, repoRoot } from '@course/shared';
import { requestJson, spawnServer, type ServerProcess } from '@course/shared/testing';
import { serverEntry } from '../src/index.ts';
import { newItem } from './helpers.ts';

// A database file per test run, in the repository's git-ignored tmp/ folder.
const dir = join(repoRoot, 'tmp', 'lesson-02-tests', `run-${process.pid}`);
const dbPath = (name: string): string => join(dir, `${name}.db`);
const start = (name: string): Promise<ServerProcess> => spawnServer(serverEntry, { env: { DB_PATH: dbPath(name), SEED_COUNT: '20' } });

function exitOf(server: ServerProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    return Promise.resolve({ code: server.child.exitCode, signal: server.child.signalCode });
  }
  return new Promise((resolve) => server.child.once('exit', (code, signal) => resolve({ code, signal })));
}

const running: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close(2000)));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the settings the durability claims rest on', () => {
  it('opens a database file in WAL mode with synchronous=NORMAL and a 5 s busy timeout', () => {
    mkdirSync(dir, { recursive: true });
    const db = openDatabase(dbPath('pragmas'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // 0 OFF, 1 NORMAL, 2 FULL
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });
});

// What this proves: a write the server acknowledged had been committed (the response is sent
// after the transaction ends), so killing the *process* loses none of it. It passes at every
// `synchronous` level, OFF included, because the committed pages are in the OS page cache,
// which outlives the process. What synchronous=NORMAL would lose to a machine crash (power,
// kernel panic) is not testable here; the PRAGMA test above pins the setting instead.
describe('acknowledged means committed', () => {
  it('keeps every acknowledged create, update and delete after kill -9 of the process and a restart', { timeout: 60_000 }, async () => {
    const first = await start('durability');
    running.push(first);
    const created = [];
    for (let i = 0; i < 25; i++) {
      const res = await requestJson(`${first.url}/items`, { method: 'POST', body: newItem(`DUR-${i}`, { name: `Durable ${i} ✓` }) });
      expect(res.status).toBe(201);
      created.push(res.body);
    }
    const patched = await requestJson(`${first.url}/items/${created[0].id}`, { method: 'PATCH', body: { priceCents: 4242 } });
    expect(patched.status).toBe(200);
    expect((await fetch(`${first.url}/items/${created[1].id}`, { method: 'DELETE' })).status).toBe(204);

    // No graceful close: the process dies right after the last acknowledgement.
    first.child.kill('SIGKILL');
    expect(await exitOf(first)).toEqual({ code: null, signal: 'SIGKILL' });

    const second = await start('durability');
    running.push(second);
    for (const item of created.slice(2)) {
      const res = await requestJson(`${second.url}/items/${item.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(item);
    }
    expect((await requestJson(`${second.url}/items/${created[0].id}`)).body).toEqual(patched.body);
    expect((await requestJson(`${second.url}/items/${created[1].id}`)).status).toBe(404);
    // The seed ran once: the restart found rows and did not seed again.
    expect((await requestJson(`${second.url}/items?limit=100`)).body.items).toHaveLength(20 + 25 - 1);
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight request when SIGTERM arrives, then exits 0', { timeout: 60_000 }, async () => {
    const server = await start('graceful');
    running.push(server);
    const slow = requestJson(`${server.url}/slow?ms=1500`);
    // Wait until the server is inside the slow handler (its count is in /metrics).
    for (;;) {
      const metrics = await requestJson(`${server.url}/metrics`);
      if (metrics.body.custom.slow.inFlight === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const exited = exitOf(server);
    server.child.kill('SIGTERM');

    const res = await slow;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sleptMs: 1500 });
    // The server tells the client this connection will not be reused.
    expect(res.headers.get('connection')).toBe('close');
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
