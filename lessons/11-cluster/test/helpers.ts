/**
 * Test helpers: requests on fresh connections (so the primary's round-robin spreads them),
 * a load loop that records every outcome, and a cluster on a temporary database.
 */
import { request } from 'node:http';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { createPrimary, type Primary, type PrimaryOptions } from '../src/primary.ts';
import { prepareDatabase } from '../src/database.ts';

export const workerEntry = fileURLToPath(new URL('../src/worker.ts', import.meta.url));

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
  /** Stops sending; resolves when the last request has settled. */
  stop(): Promise<Outcome[]>;
}

export function startLoad(url: string, concurrency: number, next: (id: number) => { path: string; method?: string; body?: unknown }): Load {
  let stopped = false;
  let seq = 0;
  const inFlight = new Set<number>();
  const outcomes: Outcome[] = [];
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
        outcomes.push(outcome);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    inFlight: () => new Set(inFlight),
    outcomes,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh database file under the repo's tmp/, seeded; removed by the returned function. */
export function tempDatabase(name: string, seedCount: number): { dbPath: string; remove: () => void } {
  const dir = join(repoRoot, 'tmp', 'lesson-11', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'test.db');
  prepareDatabase(dbPath, seedCount);
  return { dbPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A primary in this (test) process, its workers on a random port and a temporary database. */
export async function startCluster(dbPath: string, options: Partial<PrimaryOptions> & { env?: NodeJS.ProcessEnv } = {}): Promise<{ primary: Primary; url: string }> {
  const primary = createPrimary({
    exec: workerEntry,
    workers: 2,
    execArgv: [...tsxImportArgs],
    shutdownTimeoutMs: 3000,
    // Generous: six builds share these two cores, and a worker's start (tsx, SQLite) slows down.
    readyTimeoutMs: 90_000,
    log: () => {},
    ...options,
    env: { PORT: '0', HOST: '127.0.0.1', DB_PATH: dbPath, SEED_COUNT: '0', SHUTDOWN_TIMEOUT_MS: '3000', ...options.env },
  });
  try {
    const url = await withTimeout(primary.ready, 90_000, 'cluster ready');
    return { primary, url };
  } catch (error) {
    await primary.stop();
    throw error;
  }
}

/** Rejects if `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms); }),
  ]);
}
