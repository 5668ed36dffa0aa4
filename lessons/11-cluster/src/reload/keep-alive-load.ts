/**
 * A keep-alive client under a restart: what a real client (a browser, a service behind a
 * proxy, any pooled HTTP client) does, and the shape the course's fresh-connection tests
 * could not see fail. `connections` sockets in one agent, each loop sending its next request
 * as soon as the last is answered. No retries: every error is counted, by kind.
 */
import { Agent, request } from 'node:http';

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

/** Starts `connections` keep-alive loops against `baseUrl`. */
export function startKeepAliveLoad(baseUrl: string, spec: LoadRequest, connections = 50, timeoutMs = 10_000): RunningLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const stats: LoadStats = { requests: 0, non2xx: 0, errors: {}, errorCount: 0, maxLatencyMs: 0 };
  let stopped = false;
  let seq = 0;

  const one = (n: number): Promise<void> => new Promise((resolve) => {
    const payload = spec.body ? JSON.stringify(spec.body(n)) : undefined;
    const startedAt = performance.now();
    const req = request(new URL(spec.path(n), baseUrl), {
      method: spec.method,
      agent,
      timeout: timeoutMs,
      headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
    }, (res) => {
      res.resume();
      res.on('end', () => {
        stats.requests++;
        stats.maxLatencyMs = Math.max(stats.maxLatencyMs, performance.now() - startedAt);
        if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) stats.non2xx++;
        resolve();
      });
      res.on('error', () => fail('response error'));
    });
    const fail = (kind: string): void => {
      const key = `${kind} (${req.reusedSocket ? 'reused' : 'new'} socket)`;
      stats.errors[key] = (stats.errors[key] ?? 0) + 1;
      stats.errorCount++;
      stats.requests++;
      resolve();
    };
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => fail(error.message === 'socket hang up' ? 'socket hang up' : error.code ?? error.message));
    req.end(payload);
  });

  const loops = Array.from({ length: connections }, async () => {
    while (!stopped) await one(++seq);
  });
  return {
    answered: () => stats.requests,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return { ...stats, maxLatencyMs: Math.round(stats.maxLatencyMs) };
    },
  };
}
