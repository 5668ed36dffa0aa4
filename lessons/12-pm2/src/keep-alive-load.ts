/**
 * A client that keeps its connections: N sockets in one keep-alive agent, N loops each sending
 * the next request as soon as the last one is answered. This is the client shape a reload can
 * hurt (a request written to a socket the server is closing); one request per fresh connection
 * cannot see that. Used by the reload bench and by the reload tests.
 */
import { Agent, request } from 'node:http';

/** One request of the load. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

/** What the load saw. */
export interface KeepAliveLoadResult {
  requests: number;
  /** 2xx answers. */
  ok: number;
  /** Answers with another status, by status. */
  non2xx: Record<string, number>;
  /** Requests that got no answer, by error code (ECONNRESET, EPIPE, timeout...). */
  errors: Record<string, number>;
  /** How many of those errors happened on a socket that had served a request before. */
  errorsOnReusedSocket: number;
  /** Slowest answered request, ms. */
  maxLatencyMs: number;
  /** Distinct `x-worker-pid` values that answered. */
  pids: Set<number>;
}

/** A running load; `stop` ends it and waits for the requests in flight. */
export interface KeepAliveLoad {
  /** Resolves once `count` more requests have been answered (a signal, not a sleep). */
  answered(count: number): Promise<void>;
  stop(): Promise<KeepAliveLoadResult>;
}

/** Starts `sockets` loops on one keep-alive agent of `sockets` connections. */
export function startKeepAliveLoad(baseUrl: string, options: { sockets: number; next: (seq: number) => LoadRequest; timeoutMs?: number }): KeepAliveLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: options.sockets });
  const result: KeepAliveLoadResult = { requests: 0, ok: 0, non2xx: {}, errors: {}, errorsOnReusedSocket: 0, maxLatencyMs: 0, pids: new Set() };
  const waiters: { target: number; resolve: () => void }[] = [];
  let stopped = false;
  let seq = 0;
  const settled = (): void => {
    for (const waiter of waiters.filter((w) => result.requests >= w.target)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  const one = (spec: LoadRequest): Promise<void> => new Promise((resolve) => {
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const started = performance.now();
    const req = request(new URL(spec.path, baseUrl), {
      method: spec.method,
      agent,
      headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      timeout: options.timeoutMs ?? 10_000,
    }, (res) => {
      res.resume();
      res.on('end', () => {
        result.requests++;
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) result.ok++;
        else result.non2xx[status] = (result.non2xx[status] ?? 0) + 1;
        const pid = Number(res.headers['x-worker-pid']);
        if (Number.isInteger(pid)) result.pids.add(pid);
        result.maxLatencyMs = Math.max(result.maxLatencyMs, performance.now() - started);
        settled();
        resolve();
      });
      res.on('error', fail);
    });
    function fail(error: NodeJS.ErrnoException): void {
      result.requests++;
      const kind = error.code ?? error.message;
      result.errors[kind] = (result.errors[kind] ?? 0) + 1;
      if (req.reusedSocket) result.errorsOnReusedSocket++;
      settled();
      resolve();
    }
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', fail);
    req.end(payload);
  });

  const loop = async (): Promise<void> => {
    while (!stopped) await one(options.next(++seq));
  };
  const loops = Array.from({ length: options.sockets }, loop);
  return {
    answered: (count) => new Promise((resolve) => waiters.push({ target: result.requests + count, resolve })),
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return result;
    },
  };
}

/** Total failed requests: errors of every kind plus non-2xx answers. */
export function failures(result: KeepAliveLoadResult): number {
  return Object.values(result.errors).reduce((a, b) => a + b, 0) + Object.values(result.non2xx).reduce((a, b) => a + b, 0);
}

/** A POST /items body with an sku no other request of this process uses. */
export function newItemBody(tag: string, seq: number): { sku: string; name: string; category: string; priceCents: number } {
  return { sku: `${tag}-${process.pid}-${seq}`, name: 'reload bench item', category: 'bench', priceCents: 100 + (seq % 1000) };
}
