/**
 * Requests on fresh connections and a load loop that records every outcome: what a test
 * needs to see which worker answered and whether any request failed. Lessons 11, 12 and 13
 * use it against a cluster, pm2's instances and hosts behind HAProxy.
 */
import { request } from 'node:http';

export interface Reply {
  status: number;
  pid: number | undefined;
  body: any;
}

/**
 * One request on its own connection (`agent: false`, `Connection: close`). Keep-alive would
 * pin every request of a client to the worker that accepted its first connection.
 */
export function send(url: string, init: { method?: string; body?: unknown; timeoutMs?: number } = {}): Promise<Reply> {
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: init.method ?? 'GET',
      agent: false,
      headers: { connection: 'close', ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      timeout: init.timeoutMs ?? 10_000,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => {
        const pid = Number(res.headers['x-worker-pid']);
        resolve({ status: res.statusCode ?? 0, pid: Number.isInteger(pid) ? pid : undefined, body: text ? JSON.parse(text) : undefined });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sends requests until one is answered by a worker `accept`s; fails after `tries`. */
export async function sendUntil(url: string, accept: (pid: number) => boolean, init: Parameters<typeof send>[1] = {}, tries = 50): Promise<Reply> {
  for (let i = 0; i < tries; i++) {
    const reply = await send(url, init);
    if (reply.pid !== undefined && accept(reply.pid)) return reply;
  }
  throw new Error(`no worker matching the condition answered in ${tries} requests`);
}

export interface Outcome {
  id: number;
  startedAt: number;
  status?: number;
  pid?: number;
  error?: string;
}

/** A closed-loop load: `concurrency` loops, each sending the next request when the last is done. */
export interface Load {
  /** Ids of requests sent and not answered yet. */
  inFlight(): Set<number>;
  outcomes: Outcome[];
  /** Resolves once `count` more requests have settled (a signal from the load, not a sleep). */
  settled(count: number): Promise<void>;
  /** Stops sending; resolves when the last request has settled. */
  stop(): Promise<Outcome[]>;
}

export function startLoad(url: string, concurrency: number, next: (id: number) => { path: string; method?: string; body?: unknown }): Load {
  let stopped = false;
  let seq = 0;
  const inFlight = new Set<number>();
  const outcomes: Outcome[] = [];
  const waiters: Array<{ target: number; resolve: () => void }> = [];
  const record = (outcome: Outcome): void => {
    outcomes.push(outcome);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (outcomes.length >= waiters[i]!.target) waiters.splice(i, 1)[0]!.resolve();
    }
  };
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const id = ++seq;
      const spec = next(id);
      const outcome: Outcome = { id, startedAt: performance.now() };
      inFlight.add(id);
      try {
        const reply = await send(new URL(spec.path, url).toString(), { method: spec.method, body: spec.body });
        outcome.status = reply.status;
        outcome.pid = reply.pid;
      } catch (error) {
        outcome.error = (error as Error).message;
      } finally {
        inFlight.delete(id);
        record(outcome);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    inFlight: () => new Set(inFlight),
    outcomes,
    settled: (count) => new Promise((resolve) => { waiters.push({ target: outcomes.length + count, resolve }); }),
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** Rejects if `promise` takes longer than `ms`: the bound on waiting for a signal. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms); }),
  ]);
}

/** Resolves after `ms` (a pace, never a wait for something to happen). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
