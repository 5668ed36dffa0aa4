/**
 * The scoreboard's three workloads, as a request for each arrival. Built from a seed inside the
 * generator's process, so every stage is offered the same sequence of requests.
 */
import { categories, createRandom } from '@course/shared';

export type WorkloadId = 'by-id' | 'category' | 'mixed';

export const workloads: readonly { id: WorkloadId; label: string }[] = [
  { id: 'by-id', label: 'reads by id, Zipf-skewed keys' },
  { id: 'category', label: 'category page (20 items)' },
  { id: 'mixed', label: '90% reads by id / 10% PATCH' },
];

export function isWorkload(id: string): id is WorkloadId {
  return workloads.some((w) => w.id === id);
}

/** One request of a workload (what lesson 05's `requestFor` returns). */
export interface WorkloadRequest { path: string; method?: string; body?: string; headers?: Record<string, string> }

/**
 * Draws ids 1…n with Zipf-like skew: rank k has weight 1/k^s. s = 0.99 as in YCSB: a few keys
 * take most reads (with n = 10 000, the hottest 1% of keys take about half of them), as real
 * catalogues do, which is what a cache is for. Ranks are shuffled onto ids (seeded), so the hot
 * keys are not simply the lowest ids.
 */
export function zipfSampler(n: number, random: () => number, s = 0.99): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) cdf[k - 1] = sum += 1 / k ** s;
  for (let i = 0; i < n; i++) cdf[i]! /= sum;
  const idOfRank = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idOfRank[i], idOfRank[j]] = [idOfRank[j]!, idOfRank[i]!];
  }
  return () => {
    const u = random();
    // The first rank whose cumulative weight reaches u (binary search).
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return idOfRank[lo]!;
  };
}

/** The request stream of `workload` over items 1…keys; call it for i = 0, 1, 2, … in order. */
export function workloadRequests(workload: WorkloadId, keys: number, seed: number): (i: number) => WorkloadRequest {
  // Two streams: the key ranks are shuffled from one, requests drawn from the other.
  const random = createRandom(seed);
  const nextId = zipfSampler(keys, createRandom(seed ^ 0x5bd1e995));
  switch (workload) {
    case 'by-id':
      return () => ({ path: `/items/${nextId()}` });
    case 'category':
      return () => ({ path: `/items?category=${categories[Math.floor(random() * categories.length)]}&limit=20` });
    case 'mixed':
      return () => {
        const id = nextId();
        if (random() >= 0.1) return { path: `/items/${id}` };
        // LESSON: a write to a hot key: every cache must drop it, in every process.
        return { path: `/items/${id}`, method: 'PATCH', body: JSON.stringify({ priceCents: 100 + Math.floor(random() * 100_000) }), headers: { 'content-type': 'application/json' } };
      };
  }
}
