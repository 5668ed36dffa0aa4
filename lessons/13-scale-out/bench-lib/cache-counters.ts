/**
 * Cache hits and misses summed over every worker of every host. A worker's /metrics describes
 * that worker only, and a host's port hands each new connection to its next worker (lesson
 * 11's round robin), so fresh connections reach each worker in turn; the snapshot's `pid`
 * says which one answered.
 */
import { request } from 'node:http';
import type { Stack } from '../src/stack.ts';

/** Cumulative counters of the caches of a stack, since its workers started. */
export interface CacheCounters { hits: number; misses: number }

function metricsOnce(url: string): Promise<{ pid: number; cache?: CacheCounters }> {
  return new Promise((resolve, reject) => {
    // agent: false: a new connection each time, so the host's round robin picks the next worker.
    const req = request(`${url}/metrics`, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { pid: number; custom?: { cache?: CacheCounters } };
          resolve({ pid: body.pid, cache: body.custom?.cache });
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sums every worker's counters; undefined when the workers keep no cache (`none`). */
export async function cacheCounters(stack: Stack): Promise<CacheCounters | undefined> {
  const total: CacheCounters = { hits: 0, misses: 0 };
  let cached = false;
  for (const host of stack.hosts) {
    const seen = new Set<number>();
    for (let attempt = 0; seen.size < stack.workersPerHost; attempt++) {
      if (attempt >= 20 * stack.workersPerHost) throw new Error(`cache counters: reached ${seen.size} of ${stack.workersPerHost} workers of ${host.host}`);
      const { pid, cache } = await metricsOnce(host.url);
      if (seen.has(pid)) continue;
      seen.add(pid);
      if (!cache) continue;
      cached = true;
      total.hits += cache.hits;
      total.misses += cache.misses;
    }
  }
  return cached ? total : undefined;
}

/** Hit ratio (%) of the reads between two readings. */
export function hitPercent(before: CacheCounters, after: CacheCounters): number {
  const hits = after.hits - before.hits;
  const reads = hits + after.misses - before.misses;
  return reads > 0 ? (100 * hits) / reads : NaN;
}
