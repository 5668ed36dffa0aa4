/**
 * Two measurements against the 100k-item database:
 *   1. a deep page by offset vs the same page by keyset cursor (and a shallow page, where
 *      the two should not differ), over HTTP, then the same queries in-process;
 *   2. the 5000-item catalog serialized per request vs sent from a cached Buffer.
 *
 *   pnpm --filter lesson-04 bench            # full run
 *   pnpm --filter lesson-04 bench --short    # about a second per variant (CI)
 */
import { fileURLToPath } from 'node:url';
import { createItemsRepository, loadConfig, openDatabase } from '@course/shared';
import { benchHttp, benchOps, parseBenchArgs, prepareBenchDatabase, runBench, spawnServer, waitUntilIdle, type HttpVariant, type Target } from '@course/shared/bench';
import { encodeCursor } from './src/cursor.ts';

const entry = fileURLToPath(new URL('./src/server.ts', import.meta.url));

runBench(async () => {
  const { options } = parseBenchArgs(process.argv.slice(2));
  const dbPath = prepareBenchDatabase('lesson-04-bench');
  const { seedCount } = loadConfig();
  const running: Target[] = [];
  const server = (catalogCache: 'on' | 'off') => async (): Promise<Target> => {
    const child = await spawnServer(entry, { env: { DB_PATH: dbPath, CATALOG_CACHE: catalogCache } });
    const target: Target = {
      url: child.url,
      close: async () => {
        running.splice(running.indexOf(target), 1);
        await child.close();
      },
    };
    running.push(target);
    return target;
  };

  // After a round, a server may still owe responses it read before autocannon stopped:
  // wait until every server answers /health promptly five times in a row.
  const drain = (): Promise<void> => waitUntilIdle(running.map((t) => t.url));
  const variant = (name: string, target: () => Promise<Target>, path: string, baseline?: string, connections?: number): HttpVariant =>
    ({ name, target, request: { path }, baseline, connections, beforeRound: drain });

  // 1. Pagination. The deep page starts after row 90 000 (or 90% of a smaller seed).
  const deep = Math.floor(seedCount * 0.9);
  const api = server('on');
  await benchHttp({
    lesson: 'lesson-04',
    title: `offset vs keyset pagination at row ${deep}`,
    options,
    variants: [
      variant('offset-deep', api, `/items?limit=20&offset=${deep}`),
      variant('keyset-deep', api, `/items?limit=20&cursor=${encodeCursor(deep)}`, 'offset-deep'),
      variant('offset-shallow', api, '/items?limit=20&offset=20'),
      variant('keyset-shallow', api, `/items?limit=20&cursor=${encodeCursor(20)}`, 'offset-shallow'),
    ],
  });

  // 1b. The same two queries without HTTP: what the database alone does at that depth.
  const db = openDatabase(dbPath);
  const repo = createItemsRepository(db);
  await benchOps({
    lesson: 'lesson-04',
    title: `page of 20 at row ${deep} and at row 20, in-process: offset vs keyset`,
    unit: 'pages/s',
    options,
    variants: [
      { name: 'offset-query', run: () => repo.list({ limit: 20, offset: deep }) },
      { name: 'keyset-query', run: () => repo.list({ limit: 20, afterId: deep }), baseline: 'offset-query' },
      { name: 'offset-query-shallow', run: () => repo.list({ limit: 20, offset: 20 }) },
      { name: 'keyset-query-shallow', run: () => repo.list({ limit: 20, afterId: 20 }), baseline: 'offset-query-shallow' },
    ],
  });
  db.close();

  // 2. Serialization: ~1 MB of JSON per response; 10 connections are plenty to saturate it.
  await benchHttp({
    lesson: 'lesson-04',
    title: 'catalog of 5000 items: per-request JSON vs cached Buffer',
    options,
    variants: [
      variant('per-request', server('off'), '/catalog', undefined, 10),
      variant('buffered', server('on'), '/catalog', 'per-request', 10),
    ],
  });
});
