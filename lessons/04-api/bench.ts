/**
 * Two measurements against the 100k-item database:
 *   1. the deepest page an offset may reach (the API's cap, 10 000) vs the same page by keyset
 *      cursor (and a shallow page, where the two should not differ), over HTTP; then in-process
 *      the same at the cap and at row 90 000, the depth the cap exists to refuse;
 *   2. the 5000-item catalog serialized per request vs sent from a cached Buffer.
 *
 *   npm run bench               # full run (inside lessons/04-api)
 *   npm run bench -- --short    # about a second per variant (CI)
 */
import { fileURLToPath } from 'node:url';
import { createItemsRepository, loadConfig, maxOffset, openDatabase } from '@course/shared';
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

  // 1. Pagination. Over HTTP the deepest offset the API accepts (maxOffset); in-process also
  // row 90 000 (or 90% of a smaller seed), which the API refuses as an offset.
  const cap = Math.min(maxOffset, Math.floor(seedCount * 0.9));
  const deep = Math.floor(seedCount * 0.9);
  const api = server('on');
  await benchHttp({
    lesson: 'lesson-04',
    title: `offset vs keyset pagination at row ${cap} (the offset cap)`,
    options,
    variants: [
      variant('offset-deep', api, `/items?limit=20&offset=${cap}`),
      variant('keyset-deep', api, `/items?limit=20&cursor=${encodeCursor(cap)}`, 'offset-deep'),
      variant('offset-shallow', api, '/items?limit=20&offset=20'),
      variant('keyset-shallow', api, `/items?limit=20&cursor=${encodeCursor(20)}`, 'offset-shallow'),
    ],
  });

  // 1b. The same two queries without HTTP: what the database alone does at that depth.
  const db = openDatabase(dbPath);
  const repo = createItemsRepository(db);
  await benchOps({
    lesson: 'lesson-04',
    title: `page of 20 at row ${cap} and at row ${deep}, in-process: offset vs keyset`,
    unit: 'pages/s',
    options,
    variants: [
      { name: 'offset-query-cap', run: () => repo.list({ limit: 21, offset: cap }) },
      { name: 'keyset-query-cap', run: () => repo.list({ limit: 21, afterId: cap }), baseline: 'offset-query-cap' },
      { name: 'offset-query-90k', run: () => repo.list({ limit: 21, offset: deep }) },
      { name: 'keyset-query-90k', run: () => repo.list({ limit: 21, afterId: deep }), baseline: 'offset-query-90k' },
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
