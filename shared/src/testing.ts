/**
 * Helpers for lessons' tests: an in-memory database, a server on port 0, JSON requests, a
 * throw-away redis-server.
 */
import type { RequestListener } from 'node:http';
import { openDatabase, type Database } from './db/open-database.ts';
import { seedItems } from './db/seed.ts';
import { startServer, type RunningServer } from './lifecycle/start-server.ts';

export { spawnServer, type ServerProcess } from './bench/spawn-server.ts';
export { startTestRedis, findRedisServer, type TestRedis } from './testing/redis-server.ts';
export { send, sendUntil, startLoad, withTimeout, sleep, type Reply, type Outcome, type Load } from './testing/fresh-connection-load.ts';

/** A fresh `:memory:` database, migrated, with `seedCount` deterministic items. */
export function createTestDatabase(seedCount = 0, seed = 42): Database {
  const db = openDatabase(':memory:');
  seedItems(db, seedCount, seed);
  return db;
}

/**
 * Listens on 127.0.0.1 port 0. Close it in `afterEach`/`afterAll`. The idle grace is short:
 * fetch keeps its sockets open, and a test's close() would otherwise wait the full second.
 */
export function listen(handler: RequestListener): Promise<RunningServer> {
  return startServer(handler, { port: 0, host: '127.0.0.1', shutdownTimeoutMs: 2000, idleGraceMs: 100 });
}

/** A parsed JSON response (body is `undefined` for an empty one). */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * fetch with a JSON body (objects are stringified; strings are sent as they are, for
 * malformed-input tests) and a parsed JSON response.
 */
export async function requestJson<T = any>(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<JsonResponse<T>> {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: body === undefined ? init.headers : { 'content-type': 'application/json', ...init.headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
