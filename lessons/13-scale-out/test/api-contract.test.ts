/**
 * The same API contract on SQLite (the course's repository) and on PostgreSQL (this lesson's):
 * the second implementation is a drop-in for the first.
 */
import { rmSync } from 'node:fs';
import { createItemsRepository } from '@course/shared';
import { createTestDatabase, listen } from '@course/shared/testing';
import pg from 'pg';
import { afterAll } from 'vitest';
import { requireEngineBinaries } from '../src/engines/binaries.ts';
import { freePort } from '@course/shared/tools';
import { startPostgres, type RunningPostgres } from '../src/engines/postgres.ts';
import { createHostApp } from '../src/host-app.ts';
import { createPgItemsRepository } from '../src/items/pg-items-repository.ts';
import { preparePgDatabase } from '../src/items/pg-schema.ts';
import { scratchDir } from '../src/stack.ts';
import { skipWithoutEngines } from './engines-gate.ts';
import { fixedNow, itemsApiContract } from './items-api-contract.ts';

const hostApp = (store: Parameters<typeof createHostApp>[0]['store']) => createHostApp({ store, hostName: 'test', isDraining: () => false });

itemsApiContract('SQLite (better-sqlite3, synchronous)', async (seedCount) => {
  const db = createTestDatabase(seedCount);
  const running = await listen(hostApp(createItemsRepository(db, { now: () => fixedNow })));
  return { url: running.url, close: async () => { await running.close(); db.close(); } };
});

let postgres: RunningPostgres | undefined;
let dir: string | undefined;
afterAll(async () => {
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

itemsApiContract('PostgreSQL (pg, over the network)', async (seedCount) => {
  const binaries = requireEngineBinaries();
  dir = scratchDir('api');
  postgres = await startPostgres({ ...binaries, dir, port: await freePort(), maxConnections: 20 });
  const pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
  pool.on('error', (error) => console.warn(`test pool: ${error.message}`));
  await preparePgDatabase(pool, seedCount);
  const running = await listen(hostApp(createPgItemsRepository(pool, { now: () => fixedNow })));
  return { url: running.url, close: async () => { await running.close(); await pool.end(); } };
}, { skip: skipWithoutEngines() });
