import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createItemsRepository, openDatabase, repoRoot, seedItems } from '@course/shared';
import { requestJson, spawnServer } from '@course/shared/testing';
import { createSearch, nodeSqliteServerEntry, nodeSqliteStatus, openNodeSqliteReads } from '../src/index.ts';

const dir = join(repoRoot, 'tmp', 'lesson-02-tests', `node-sqlite-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const major = Number(process.versions.node.split('.')[0]);
const status = nodeSqliteStatus();

describe('node:sqlite on this Node line', () => {
  // Exact per line, not "if present": a new line (or a regression) must be looked at and added.
  const expected: Record<number, boolean> = { 20: false, 22: true, 24: true, 26: true };

  it(`is ${expected[major] === false ? 'absent' : 'present'} on Node ${major}, as pinned`, () => {
    expect(major in expected, `Node ${major} is not in this test's table: check node:sqlite there and add it`).toBe(true);
    expect(status.available).toBe(expected[major]);
  });

  it.skipIf(status.available)('is absent here: opening it fails with a sentence naming the Node version needed', () => {
    expect(() => openNodeSqliteReads(':memory:')).toThrow(/node:sqlite is not available on Node v20.*22\.13/);
  });
});

describe.skipIf(!status.available)('node:sqlite beside better-sqlite3 (skipped on Node without node:sqlite)', () => {
  it('reads the same items by id and finds the same search results from the same file', () => {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'same.db');
    const db = openDatabase(path);
    seedItems(db, 300);
    const reads = openNodeSqliteReads(path);
    try {
      const repo = createItemsRepository(db);
      for (const id of [1, 2, 150, 300]) expect(reads.byId(id)).toEqual(repo.get(id));
      expect(reads.byId(301)).toBeUndefined();
      expect(reads.search({ q: 'Lamp', limit: 7 })).toEqual(createSearch(db)({ q: 'Lamp', limit: 7 }));
      expect(reads.search({ q: '50%', limit: 7 })).toEqual({ total: 0, items: [] });
    } finally {
      reads.close();
      db.close();
    }
  });

  it('serves GET /items/:id and GET /search from its own entry file, with the course errors', { timeout: 60_000 }, async () => {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'server.db');
    const server = await spawnServer(nodeSqliteServerEntry, { env: { DB_PATH: path, SEED_COUNT: '20' } });
    try {
      const db = openDatabase(path);
      const expected = createItemsRepository(db).get(7);
      db.close();
      expect((await requestJson(`${server.url}/items/7`)).body).toEqual(expected);
      expect((await requestJson(`${server.url}/items/21`)).status).toBe(404);
      expect((await requestJson(`${server.url}/items/abc`)).body.error.details[0].field).toBe('id');
      expect((await requestJson(`${server.url}/search?q=%00`)).status).toBe(400);
      expect((await requestJson(`${server.url}/search?q=Lamp&limit=2`)).body.items.length).toBeLessThanOrEqual(2);
    } finally {
      await server.close();
    }
  });
});
