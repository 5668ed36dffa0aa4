/**
 * Each slow endpoint against its fixed sibling, in one run, on one server, with the server's
 * event-loop delay (from /metrics) beside each: the number that says whether one slow
 * request makes every other request wait.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, type MetricsSnapshot } from '@course/shared';
import { benchHttp, runBench, spawnServer, type HttpVariant, type Target } from '@course/shared/bench';
import { targets } from './src/profiling/targets.ts';

const target = async (): Promise<Target> => {
  const child = await spawnServer(fileURLToPath(new URL('./src/server.ts', import.meta.url)), {
    env: { DB_PATH: join(repoRoot, 'data', 'lesson-06.db') },
  });
  return { url: child.url, close: () => child.close() };
};

const resetMetrics = async (t: Target): Promise<void> => { await (await fetch(`${t.url}/metrics/reset`, { method: 'POST' })).arrayBuffer(); };
const readDelay = async (t: Target): Promise<Record<string, number>> => {
  const m = (await (await fetch(`${t.url}/metrics`)).json()) as MetricsSnapshot;
  return { 'loop p99 ms': m.eventLoopDelayMs.p99, 'loop max ms': m.eventLoopDelayMs.max };
};

const names = ['keys', 'username', 'catalog', 'price-ranks'];
const slowRequests = targets.slow!.requests;
const fixedRequests = targets.fixed!.requests;

const variants: HttpVariant[] = names.flatMap((name, i): HttpVariant[] => {
  const { setupRequest: _s, ...slowReq } = slowRequests[i]!;
  const { setupRequest: _f, ...fixedReq } = fixedRequests[i]!;
  const common = { target, beforeRound: resetMetrics, collect: readDelay };
  return [
    { name: `${name} slow`, request: { method: slowReq.method as 'GET' | 'POST', path: slowReq.path, headers: slowReq.headers as Record<string, string> | undefined, body: slowReq.body as string | undefined }, ...common },
    { name: `${name} fixed`, baseline: `${name} slow`, request: { method: fixedReq.method as 'GET' | 'POST', path: fixedReq.path, headers: fixedReq.headers as Record<string, string> | undefined, body: fixedReq.body as string | undefined }, ...common },
  ];
});

runBench(() => benchHttp({ lesson: 'lesson-06', title: 'slow paths vs fixed', variants, defaults: { connections: 10 } }));
