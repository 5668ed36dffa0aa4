/**
 * A keep-alive client under a restart: what a real client (a browser, a service behind a
 * proxy, any pooled HTTP client) does, and the shape the course's fresh-connection tests
 * could not see fail. The generator is the shared one (`@course/shared/tools`: `connections`
 * sockets in one agent, each loop sending its next request as soon as the last is answered,
 * no retries); this file says what to send and counts errors by kind.
 */
import { startKeepAliveLoad as startSharedLoad } from '@course/shared/tools';

/** What to send. */
export interface LoadRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path for the n-th request, e.g. `/items/17`. */
  path: (n: number) => string;
  /** JSON body for the n-th request, if any. */
  body?: (n: number) => unknown;
}

/** Counts of a load run. */
export interface LoadStats {
  requests: number;
  non2xx: number;
  /** Socket-level failures by kind, e.g. `{ 'ECONNRESET (reused socket)': 3 }`. */
  errors: Record<string, number>;
  errorCount: number;
  maxLatencyMs: number;
}

/** A running load: stop it to get its counts. */
export interface RunningLoad {
  /** Requests answered so far (any status). */
  answered(): number;
  stop(): Promise<LoadStats>;
}

// SKUs must differ across loads of one process too: a second run that numbered from 1 again
// got 409 CONFLICT for every POST.
let skuSeq = 0;

/** One GET on `/items/:id` or one POST of a new item (unique sku), as load. */
export const loadRequests = {
  get: (hot: number): LoadRequest => ({ method: 'GET', path: (n) => `/items/${(n % hot) + 1}` }),
  post: (tag: string): LoadRequest => ({
    method: 'POST',
    path: () => '/items',
    body: (n) => ({ sku: `LOAD-${tag}-${process.pid}-${Date.now()}-${++skuSeq}`, name: `load item ${n}`, category: 'load', priceCents: 100 + (n % 1000) }),
  }),
} as const;

/**
 * Starts `connections` keep-alive loops against `baseUrl` (the shared generator), counted
 * the way this lesson's reload table counts: errors by kind and by reused or new socket.
 */
export function startKeepAliveLoad(baseUrl: string, spec: LoadRequest, connections = 50, timeoutMs = 10_000): RunningLoad {
  const load = startSharedLoad(baseUrl, {
    sockets: connections,
    timeoutMs,
    next: (n) => ({ method: spec.method, path: spec.path(n), ...(spec.body ? { body: spec.body(n) } : {}) }),
  });
  return {
    answered: () => load.count(),
    stop: async () => {
      const result = await load.stop();
      const errors: Record<string, number> = {};
      for (const o of result.outcomes) {
        if (o.error === undefined) continue;
        const key = `${o.error} (${o.reused ? 'reused' : 'new'} socket)`;
        errors[key] = (errors[key] ?? 0) + 1;
      }
      const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
      return { requests: result.requests, non2xx: result.requests - result.ok - errorCount, errors, errorCount, maxLatencyMs: Math.round(result.maxLatencyMs) };
    },
  };
}
