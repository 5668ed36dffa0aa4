/**
 * The per-worker caches' hit ratio against the shared cache's, after reads, after a burst of
 * PATCHes, and after that (NOTES.md, "Per-worker caches against the shared cache"). A write
 * refreshes the shared cache but empties the item from every per-worker cache.
 *
 *   node --import tsx bench-lib/hit-ratio-after-writes.ts
 *
 * Prints hit ratios (counts, whatever the machine's load) and req/s (only meaningful alone).
 */
import { runAutocannon } from '@course/shared/bench';
import { cacheCounters, hitPercent } from './cache-counters.ts';
import { startStack } from '../src/stack.ts';
const hot = 1000;
const random = (): number => 1 + Math.floor(Math.random() * hot);
const reads = { requests: [{ method: 'GET' as const, path: '/items/1', setupRequest: (req: { path?: string }) => ({ ...req, path: `/items/${random()}` }) }] };
const writes = { requests: [{ method: 'PATCH' as const, path: '/items/1', headers: { 'content-type': 'application/json' }, setupRequest: (req: { path?: string }) => ({ ...req, path: `/items/${random()}`, body: JSON.stringify({ priceCents: 100 + Math.floor(Math.random() * 99_900) }) }) }] };
for (const cache of ['local', 'shared'] as const) {
  const s = await startStack({ hosts: 3, workersPerHost: 2, cache, seedCount: 10_000, log: () => {} });
  try {
    await runAutocannon(s.url, 3, 50, reads);
    for (const phase of ['warm', 'after 5 s of PATCH', 'warm again']) {
      if (phase === 'after 5 s of PATCH') await runAutocannon(s.url, 5, 50, writes);
      const before = (await cacheCounters(s))!;
      const r = await runAutocannon(s.url, 3, 50, reads);
      const after = (await cacheCounters(s))!;
      console.log(`${cache}, reads ${phase}: ${Math.round(r.requests.total / 3)} req/s, hits ${hitPercent(before, after).toFixed(1)}%`);
    }
  } finally { await s.stop(); }
}
