/**
 * Cached vs uncached, on the expensive aggregate and on the cheap lookup by id, against the
 * 100k-item database. Two server processes (CACHE=off and CACHE=on) on one database file.
 * Then what the size bound is for: a client walking 2000 distinct `?offset=` pages, once with
 * the byte bound and once with only an entry-count bound, and the heap each cache kept.
 *
 *   npm run bench                # full run (inside lessons/03-cache)
 *   npm run bench -- --short     # about a second per variant (CI)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { createItemsRepository, openDatabase } from '@course/shared';
import { benchHttp, benchOps, parseBenchArgs, prepareBenchDatabase, runBench, spawnServer, waitUntilIdle, type HttpVariant, type Target } from '@course/shared/bench';
import { createCachedStore, type CachedStoreOptions } from './src/cached-store.ts';

const entry = fileURLToPath(new URL('./src/server.ts', import.meta.url));

runBench(async () => {
  const { options } = parseBenchArgs(process.argv.slice(2));
  const dbPath = prepareBenchDatabase('lesson-03-bench');
  const running: Target[] = [];
  const server = (cache: 'on' | 'off') => async (): Promise<Target> => {
    const child = await spawnServer(entry, { env: { DB_PATH: dbPath, CACHE: cache } });
    const target = { url: child.url, close: () => child.close() };
    running.push(target);
    return target;
  };
  const uncached = server('off');
  const cached = server('on');

  // The same 100 ids cycled by every connection: after the warm-up the cache answers all of
  // them, so the by-id pair shows the best a cache can do for a lookup by primary key.
  const byId = { requests: Array.from({ length: 100 }, (_, i) => ({ method: 'GET' as const, path: `/items/${1 + i * 997}` })) };
  const stats = { path: '/items/stats' };

  // undici may reuse a keep-alive socket the server is closing at that moment: retry once.
  const getJson = async (url: string): Promise<unknown> => {
    try {
      return await (await fetch(url)).json();
    } catch {
      return (await fetch(url)).json();
    }
  };
  // When autocannon stops, the uncached server still owes up to one 70 ms aggregate per
  // connection, already read off the sockets. Wait until both servers answer /health
  // promptly five times in a row, so no round pays for the previous round's backlog.
  const drain = (): Promise<void> => waitUntilIdle(running.map((t) => t.url));
  // The harness reads each server's event-loop delay and CPU; this adds the cache's hit rate so far.
  const beforeRound = async (): Promise<void> => {
    await drain();
  };
  const collect = async (t: Target): Promise<Record<string, number>> => {
    const m = (await getJson(`${t.url}/metrics`)) as { custom: { cache?: { hits: number; misses: number } } };
    const c = m.custom.cache;
    return { 'hit %': c ? (100 * c.hits) / Math.max(1, c.hits + c.misses) : 0 };
  };
  const variant = (name: string, target: () => Promise<Target>, request: HttpVariant['request'], baseline?: string): HttpVariant =>
    // The uncached aggregate answers one request at a time whatever the concurrency; 10
    // connections keep its queue (and the backlog left after a round) short.
    ({ name, target, request, baseline, beforeRound, collect, connections: request === stats ? 10 : undefined });

  await benchHttp({
    lesson: 'lesson-03',
    title: 'cached vs uncached: aggregate and lookup by id',
    options,
    variants: [
      variant('uncached-stats', uncached, stats),
      variant('cached-stats', cached, stats, 'uncached-stats'),
      variant('uncached-by-id', uncached, byId),
      variant('cached-by-id', cached, byId, 'uncached-by-id'),
    ],
  });

  // The same reads without HTTP: what the cache saves per request, against what a request
  // costs in total (the HTTP numbers above).
  const db = openDatabase(dbPath);
  const repo = createItemsRepository(db);
  const store = createCachedStore(repo);
  let i = 0;
  const nextId = (): number => 1 + ((i++ % 100) * 997);
  await benchOps({
    lesson: 'lesson-03',
    title: 'in-process: SQLite vs cache hit',
    unit: 'reads/s',
    options,
    variants: [
      { name: 'sqlite-stats', run: () => repo.categoryStats() },
      { name: 'cached-stats', run: () => store.categoryStats(), baseline: 'sqlite-stats' },
      { name: 'sqlite-get', run: () => repo.get(nextId()) },
      { name: 'cached-get', run: () => store.get(nextId()), baseline: 'sqlite-get' },
    ],
  });

  // The walk: 2000 distinct 100-item pages (offset 0, 5, 10, … 9995: all within the API's
  // offset cap), the key space one client controls. Heap measured after a full GC.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const pages = options.short ? 200 : 2000;
  // 200 pages fit in the default 16 MiB: the short run lowers the bound so that it still shows.
  const maxBytes = options.short ? 2 * 1024 * 1024 : undefined;
  const walk = async (label: string, cacheOptions: CachedStoreOptions): Promise<void> => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const walker = createCachedStore(repo, cacheOptions);
    for (let k = 0; k < pages; k++) await walker.list({ limit: 100, offset: k * 5 });
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    const { size, bytes } = walker.stats();
    const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);
    console.log(`walk of ${pages} pages, ${label}: ${size} entries kept, ${mib(bytes)} MiB estimated, heap +${mib(grown)} MiB`);
    walker.invalidate({ kind: 'all' });
  };
  console.log('');
  await walk(maxBytes ? 'bounded by bytes (maxBytes 2 MiB: the short run\'s pages fit in the default 16)' : 'bounded by bytes (maxBytes 16 MiB, the default)', maxBytes ? { maxBytes } : {});
  await walk('bounded by entries only (max 10 000, no byte bound)', { maxBytes: Number.MAX_SAFE_INTEGER });
  db.close();
});
