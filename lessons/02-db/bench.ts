/**
 * Lesson 02's benches, in one run:
 *  1. writes: 100 rows as 100 autocommitted INSERTs vs one transaction (synchronous NORMAL,
 *     the course's setting, and FULL), on a temp database file with WAL;
 *  2. reads in-process: by id with a statement prepared once vs prepared on every call, and
 *     the same by-id read and LIKE scan on node:sqlite (Node 22.13+) beside better-sqlite3;
 *  3. over HTTP against the server (100k items): GET /items/:id (prepared), the same via a
 *     re-preparing route, and GET /search (a full scan), with the server's event-loop delay;
 *     and the same two routes served through node:sqlite.
 * On a Node without node:sqlite (20) its variants are skipped, with one line saying why.
 *
 *   npm run bench -- [--short] [--duration 5] [--rounds 3] [--connections 50]
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, openDatabase, repoRoot, type Database } from '@course/shared';
import { benchHttp, benchOps, parseBenchArgs, runBench, spawnServer, type HttpVariant, type Target } from '@course/shared/bench';
import { createAutocommitInsert, createPreparedReader, createRepreparingReader, createSearch, createTransactionInsert, makeRows, nodeSqliteServerEntry, nodeSqliteStatus, openNodeSqliteReads, serverEntry, walPagesFor, type NodeSqliteReads } from './src/index.ts';

const dir = join(repoRoot, 'tmp', 'lesson-02');

const batchSize = 100;
const nodeSqlite = nodeSqliteStatus();

/** µs per operation over all rounds of each variant of a benchOps/benchHttp result. */
function microsPerOp(result: { variants: { name: string; rounds: unknown[] }[] }): string {
  return result.variants.map((v) => {
    const rounds = v.rounds as { ops?: number; requests?: number; seconds?: number }[];
    const ops = rounds.reduce((sum, r) => sum + (r.ops ?? r.requests ?? 0), 0);
    const seconds = rounds.reduce((sum, r) => sum + (r.seconds ?? Number.NaN), 0);
    return `${v.name} ${((seconds * 1e6) / ops).toFixed(1)} µs`;
  }).join(', ');
}
const seedCount = 100_000;

/** A fresh database file for one write variant; rows are wiped between rounds. */
function writeVariant(name: string, synchronous: 'NORMAL' | 'FULL', mode: 'autocommit' | 'transaction', baseline?: string) {
  const path = join(dir, `bench-${name}.db`);
  let db: Database;
  let insert: (rows: ReturnType<typeof makeRows>) => void;
  let batch = 0;
  let rowsThisRound = 0;
  let batchesThisRound = 0;
  let cpuThisRound = 0;
  const batches = Array.from({ length: 64 }, (_, i) => makeRows(batchSize, `${name}-${i}`));
  return {
    name,
    baseline,
    setup: () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      db = openDatabase(path);
      db.pragma(`synchronous = ${synchronous}`);
      insert = mode === 'autocommit' ? createAutocommitInsert(db) : createTransactionInsert(db);
    },
    run: () => {
      // SKUs must stay unique: each batch gets its own suffix.
      const rows = batches[batch % batches.length]!.map((r) => ({ ...r, sku: `${r.sku}-${batch}` }));
      batch++;
      // CPU time of this thread's work, apart from time spent waiting (fsync) or descheduled.
      const cpu = process.cpuUsage();
      insert(rows);
      const used = process.cpuUsage(cpu);
      cpuThisRound += used.user + used.system;
      batchesThisRound++;
      rowsThisRound += rows.length;
    },
    // Runs after each timed round, outside the timing: keeps the file small and every round alike.
    collect: () => {
      db.exec('DELETE FROM items');
      db.pragma('wal_checkpoint(TRUNCATE)');
      const result = { 'rows in round': rowsThisRound, 'cpu ms/batch': cpuThisRound / 1000 / Math.max(1, batchesThisRound) };
      rowsThisRound = 0;
      batchesThisRound = 0;
      cpuThisRound = 0;
      return result;
    },
    teardown: () => {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    },
  };
}

runBench(async () => {
  const { options } = parseBenchArgs(process.argv.slice(2));

  // 1. Writes. Rounds are capped at 1 s: a fast variant writes ~10^5 rows a second.
  const writeOptions = { ...options, duration: Math.min(options.duration, 1), warmup: Math.min(options.warmup, 0.3) };
  await benchOps({
    lesson: 'lesson-02',
    title: `${batchSize} inserts autocommitted vs one transaction`,
    unit: 'batches/s',
    options: writeOptions,
    variants: [
      writeVariant('autocommit', 'NORMAL', 'autocommit'),
      writeVariant('transaction', 'NORMAL', 'transaction', 'autocommit'),
      writeVariant('autocommit-full', 'FULL', 'autocommit', 'autocommit'),
      writeVariant('transaction-full', 'FULL', 'transaction', 'autocommit-full'),
    ],
  });
  console.log(`(one batch = ${batchSize} rows; rounds capped at ${writeOptions.duration} s)`);
  const pages = (mode: 'autocommit' | 'transaction'): number => walPagesFor(mode, batchSize, join(dir, `wal-pages-${mode}.db`));
  console.log(`WAL pages appended per batch of ${batchSize} rows: autocommit ${pages('autocommit')}, transaction ${pages('transaction')}`);

  // 2. and 3. need the seeded database; the first run seeds it (the server logs how long).
  const dbPath = join(dir, `bench-read-${seedCount}.db`);
  const readDb = openDatabase(dbPath);
  const seeded = (readDb.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
  const random = createRandom(1);
  const randomId = (): number => 1 + Math.floor(random() * seedCount);
  let builtin: NodeSqliteReads | undefined;
  try {
    const prepared = createPreparedReader(readDb);
    const reprepared = createRepreparingReader(readDb);
    const search = createSearch(readDb);
    if (seeded === 0) {
      const { seedItems } = await import('@course/shared');
      const started = performance.now();
      seedItems(readDb, seedCount);
      console.log(`\nseeded ${seedCount} items in ${Math.round(performance.now() - started)} ms (first run only)`);
    }
    if (nodeSqlite.available) builtin = openNodeSqliteReads(dbPath);
    else console.log(`\nnode:sqlite variants skipped: ${nodeSqlite.reason}`);
    const reads = await benchOps({
      lesson: 'lesson-02',
      title: 'read by id in-process: prepared vs re-prepared, better-sqlite3 vs node:sqlite',
      unit: 'reads/s',
      options,
      variants: [
        { name: 'prepared', run: () => prepared(randomId()) },
        { name: 'reprepared', run: () => reprepared(randomId()), baseline: 'prepared' },
        ...(builtin ? [{ name: 'node-sqlite', run: () => builtin!.byId(randomId()), baseline: 'prepared' }] : []),
      ],
    });
    console.log(`time per read: ${microsPerOp(reads)}`);
    if (builtin) {
      const scans = await benchOps({
        lesson: 'lesson-02',
        title: 'LIKE scan of 100k names in-process: better-sqlite3 vs node:sqlite',
        unit: 'scans/s',
        options,
        variants: [
          { name: 'scan-better-sqlite3', run: () => search({ q: 'Lamp 12', limit: 20 }) },
          { name: 'scan-node-sqlite', run: () => builtin!.search({ q: 'Lamp 12', limit: 20 }), baseline: 'scan-better-sqlite3' },
        ],
      });
      console.log(`time per scan: ${microsPerOp(scans)}`);
    }
  } finally {
    builtin?.close();
    readDb.close();
  }

  // One server per entry file; the harness adds each one's CPU per request and event-loop delay.
  const targetFor = (entry: string) => async (): Promise<Target> => {
    const server = await spawnServer(entry, { env: { DB_PATH: dbPath, SEED_COUNT: String(seedCount) }, timeoutMs: 120_000 });
    return { url: server.url, close: () => server.close() };
  };
  const target = targetFor(serverEntry);
  const builtinTarget = targetFor(nodeSqliteServerEntry);
  const httpRandom = createRandom(2);
  const byId = (prefix: string): HttpVariant['request'] => ({
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `${prefix}/${1 + Math.floor(httpRandom() * seedCount)}` }) }],
  });
  await benchHttp({
    lesson: 'lesson-02',
    title: 'GET by id (prepared, re-prepared) and a LIKE scan over HTTP',
    options,
    variants: [
      { name: 'by-id', target, request: byId('/items') },
      { name: 'by-id-reprepared', target, request: byId('/reprepared/items'), baseline: 'by-id' },
      { name: 'search-scan', target, request: { path: '/search?q=Lamp%2012&limit=20' }, baseline: 'by-id' },
      ...(nodeSqlite.available
        ? [
            { name: 'by-id-node-sqlite', target: builtinTarget, request: byId('/items'), baseline: 'by-id' },
            { name: 'search-node-sqlite', target: builtinTarget, request: { path: '/search?q=Lamp%2012&limit=20' }, baseline: 'search-scan' },
          ]
        : []),
    ],
  });
});
