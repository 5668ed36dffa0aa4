/**
 * Reads vs writes on the same SQLite-backed API, in one run: GET /items/:id against POST /items.
 *
 * Each POST carries a fresh sku (autocannon's setupRequest), so every write really inserts a
 * row; a fixed body would measure the 409 path instead (see README).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import { benchHttp, runBench, spawnServer, type Target } from '@course/shared/bench';

const dbPath = join(repoRoot, 'data', 'lesson-05-bench.db');
const seedCount = 100_000;

let server: Target | undefined;
const target = async (): Promise<Target> => {
  // A fresh database each run: the writes of the last run must not change this one.
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  const child = await spawnServer(fileURLToPath(new URL('./src/server.ts', import.meta.url)), {
    env: { DB_PATH: dbPath, SEED_COUNT: String(seedCount) },
  });
  server = { url: child.url, close: () => child.close() };
  return server;
};

let sequence = 0;
const read = (): string => `/items/${1 + Math.floor(Math.random() * seedCount)}`;

runBench(() =>
  benchHttp({
    lesson: 'lesson-05',
    title: 'SQLite reads vs writes',
    variants: [
      {
        name: 'read GET /items/:id',
        target,
        request: { requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: read() }) }] },
      },
      {
        name: 'write POST /items',
        target,
        request: {
          requests: [{
            method: 'POST',
            path: '/items',
            headers: { 'content-type': 'application/json' },
            // LESSON: a unique sku per request, or the API answers 409 after the first insert.
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ sku: `BENCH-${process.pid}-${++sequence}`, name: 'Bench lamp', category: 'tools', priceCents: 1999, tags: ['bulk'] }),
            }),
          }],
        },
      },
    ],
  }),
);
