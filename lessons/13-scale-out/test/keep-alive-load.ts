/**
 * A closed-loop load over a keep-alive agent: `sockets` connections reused request after
 * request, the client shape that sees a server closing a socket under it (issue 11).
 * The tests and the bench share it.
 */
import { Agent, request } from 'node:http';

/** One request's fate. */
export interface KeepAliveOutcome {
  status?: number;
  host?: string;
  /** Error code or message when no response came (ECONNRESET, socket hang up, …). */
  error?: string;
  /** The socket had served an earlier request. */
  reused: boolean;
}

/** A running load. */
export interface KeepAliveLoad {
  outcomes: KeepAliveOutcome[];
  /** Stops sending; resolves with every outcome once the last request settles. */
  stop(): Promise<KeepAliveOutcome[]>;
}

/** Sends `next(i)` requests to `baseUrl` on `sockets` keep-alive connections until stopped. */
export function startKeepAliveLoad(baseUrl: string, sockets: number, next: (i: number) => { path: string; method?: string; body?: unknown }): KeepAliveLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const outcomes: KeepAliveOutcome[] = [];
  let stopped = false;
  let seq = 0;
  const one = (spec: { path: string; method?: string; body?: unknown }): Promise<KeepAliveOutcome> => new Promise((resolve) => {
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    let reused = false;
    const req = request(new URL(spec.path, baseUrl), {
      agent,
      method: spec.method ?? 'GET',
      headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      timeout: 15_000,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, host: res.headers['x-host'] as string | undefined, reused }));
      res.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message, reused }));
    });
    req.on('socket', (socket) => { reused = (socket as { _lesson13Used?: boolean })._lesson13Used === true; (socket as { _lesson13Used?: boolean })._lesson13Used = true; });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message, reused }));
    req.end(payload);
  });
  const loop = async (): Promise<void> => {
    while (!stopped) outcomes.push(await one(next(++seq)));
  };
  const loops = Array.from({ length: sockets }, loop);
  return {
    outcomes,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return outcomes;
    },
  };
}

/** Outcomes that are not a 2xx response. */
export const failures = (outcomes: KeepAliveOutcome[]): KeepAliveOutcome[] =>
  outcomes.filter((o) => o.error !== undefined || o.status === undefined || o.status >= 300);
