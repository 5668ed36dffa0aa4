/**
 * A closed-loop load over keep-alive connections: `sockets` sockets in one agent, one loop per
 * socket sending its next request as soon as the last is answered. The client shape a restart,
 * a reload or a deploy can hurt (a request written on a socket the server is closing), which
 * one request per fresh connection cannot see. No retries: every failure is recorded.
 * Lessons 11, 12 and 13 measure their restarts with it, in tests and benches.
 */
import { Agent, request } from 'node:http';

/** One request of the load. */
export interface LoadRequest {
  method?: string;
  path: string;
  /** Sent as JSON. */
  body?: unknown;
}

/** One request's fate. */
export interface KeepAliveOutcome {
  /** 1 for the first request of the load. */
  seq: number;
  status?: number;
  /** `x-worker-pid` of the answer, when the server sets it (lessons 11–13). */
  pid?: number;
  /** `x-host` of the answer (lesson 13's hosts). */
  host?: string;
  /** Why no answer came: an error code (ECONNRESET, EPIPE), `socket hang up` or `timeout`. */
  error?: string;
  /** The socket had served an earlier request: a client would not expect it to be closed. */
  reused: boolean;
  latencyMs: number;
}

/** What the load saw. */
export interface KeepAliveLoadResult {
  /** Requests settled (answered or failed). */
  requests: number;
  /** 2xx answers. */
  ok: number;
  /** Answers with another status, by status. */
  non2xx: Record<string, number>;
  /** Requests that got no answer, by {@link KeepAliveOutcome.error}. */
  errors: Record<string, number>;
  /** How many of those errors happened on a socket that had served a request before. */
  errorsOnReusedSocket: number;
  /** Slowest answered request, ms. */
  maxLatencyMs: number;
  /** Distinct `x-worker-pid` values that answered. */
  pids: Set<number>;
  /** Every request, in the order they settled. */
  outcomes: KeepAliveOutcome[];
}

/** A running load. */
export interface KeepAliveLoad {
  /** Requests settled so far. */
  count(): number;
  /** Resolves once `count` more requests have settled (a signal from the load, not a sleep). */
  answered(count: number): Promise<void>;
  /** Stops sending; resolves once the requests in flight have settled. */
  stop(): Promise<KeepAliveLoadResult>;
}

/** Options for {@link startKeepAliveLoad}. */
export interface KeepAliveLoadOptions {
  /** Keep-alive connections, one loop each. */
  sockets: number;
  /** The `seq`-th request (from 1). */
  next: (seq: number) => LoadRequest;
  /** Per-request timeout (ms, default 10 000): the request fails as `timeout`. */
  timeoutMs?: number;
}

/** Starts the load against `baseUrl`; stop it to get what it saw. */
export function startKeepAliveLoad(baseUrl: string, options: KeepAliveLoadOptions): KeepAliveLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: options.sockets });
  const result: KeepAliveLoadResult = { requests: 0, ok: 0, non2xx: {}, errors: {}, errorsOnReusedSocket: 0, maxLatencyMs: 0, pids: new Set(), outcomes: [] };
  const waiters: { target: number; resolve: () => void }[] = [];
  let stopped = false;
  let seq = 0;

  const record = (outcome: KeepAliveOutcome): void => {
    result.outcomes.push(outcome);
    result.requests++;
    if (outcome.error !== undefined) {
      result.errors[outcome.error] = (result.errors[outcome.error] ?? 0) + 1;
      if (outcome.reused) result.errorsOnReusedSocket++;
    } else {
      const status = outcome.status ?? 0;
      if (status >= 200 && status < 300) result.ok++;
      else result.non2xx[status] = (result.non2xx[status] ?? 0) + 1;
      if (outcome.pid !== undefined) result.pids.add(outcome.pid);
      result.maxLatencyMs = Math.max(result.maxLatencyMs, outcome.latencyMs);
    }
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (result.requests >= waiters[i]!.target) waiters.splice(i, 1)[0]!.resolve();
    }
  };

  const one = (n: number, spec: LoadRequest): Promise<void> => new Promise((resolve) => {
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const started = performance.now();
    let settled = false;
    const req = request(new URL(spec.path, baseUrl), {
      method: spec.method ?? 'GET',
      agent,
      headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      timeout: options.timeoutMs ?? 10_000,
    }, (res) => {
      res.resume();
      res.on('end', () => {
        if (settled) return;
        settled = true;
        const pid = Number(res.headers['x-worker-pid']);
        const host = res.headers['x-host'];
        record({
          seq: n, status: res.statusCode ?? 0, reused: req.reusedSocket, latencyMs: performance.now() - started,
          ...(Number.isInteger(pid) ? { pid } : {}), ...(typeof host === 'string' ? { host } : {}),
        });
        resolve();
      });
      res.on('error', fail);
    });
    function fail(error: NodeJS.ErrnoException): void {
      if (settled) return;
      settled = true;
      // Node gives "socket hang up" the code ECONNRESET; keep the two apart, they mean different things.
      const kind = error.message === 'socket hang up' ? 'socket hang up' : error.code ?? error.message;
      record({ seq: n, error: kind, reused: req.reusedSocket, latencyMs: performance.now() - started });
      resolve();
    }
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', fail);
    req.end(payload);
  });

  const loops = Array.from({ length: options.sockets }, async () => {
    while (!stopped) {
      const n = ++seq;
      await one(n, options.next(n));
    }
  });
  return {
    count: () => result.requests,
    answered: (count) => new Promise((resolve) => {
      const target = result.requests + count;
      if (count <= 0) resolve();
      else waiters.push({ target, resolve });
    }),
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return result;
    },
  };
}

/** Outcomes that are not a 2xx answer. */
export function failedOutcomes(outcomes: readonly KeepAliveOutcome[]): KeepAliveOutcome[] {
  return outcomes.filter((o) => o.error !== undefined || o.status === undefined || o.status < 200 || o.status >= 300);
}

/** Total failed requests: errors of every kind plus non-2xx answers. */
export function failures(result: KeepAliveLoadResult): number {
  return Object.values(result.errors).reduce((a, b) => a + b, 0) + Object.values(result.non2xx).reduce((a, b) => a + b, 0);
}

/** A POST /items body with an sku no other request of this process uses. */
export function newItemBody(tag: string, seq: number): { sku: string; name: string; category: string; priceCents: number } {
  return { sku: `${tag}-${process.pid}-${seq}`, name: 'load item', category: 'load', priceCents: 100 + (seq % 1000) };
}
