/**
 * The settings a host's worker reads, in one place (the stack passes them as environment).
 */
import { ConfigError, integerFromEnv as integer } from '@course/shared';

/** How a worker caches items. */
export type CacheMode = 'none' | 'shared' | 'local';
const cacheModes: readonly CacheMode[] = ['none', 'shared', 'local'];

/** Settings of one host's workers. */
export interface HostConfig {
  pgUrl: string;
  redisUrl: string;
  /** `none`: every read to PostgreSQL; `shared`: Redis cache-aside; `local`: per-worker lru-cache kept coherent through Redis. */
  cache: CacheMode;
  /** PostgreSQL connections per worker. */
  poolMax: number;
  /** Requests that may wait for a busy pool's connection; one more is answered 503 at once. */
  poolQueueMax: number;
  /** Longest a request waits for a pool connection before a 503 (ms). */
  poolWaitMs: number;
  /** PostgreSQL cancels a statement running longer than this (ms); the request gets a 503. */
  statementTimeoutMs: number;
  /** Workers per host (lesson 11's primary forks them). */
  workers: number;
  /** Ms a host keeps serving after /health turned 503, so the balancer stops sending first. */
  drainDelayMs: number;
  /** Node's keep-alive idle timeout on the host (ms): must outlast HAProxy's idle pool (pool-purge-delay). */
  keepAliveTimeoutMs: number;
  cacheTtlMs: number;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} must be set (the stack sets it; see src/stack.ts)`);
  return value;
}

/**
 * Reads PG_URL, REDIS_URL, CACHE, POOL_MAX, POOL_QUEUE_MAX, POOL_WAIT_MS, STATEMENT_TIMEOUT_MS, WORKERS, DRAIN_DELAY_MS, KEEP_ALIVE_TIMEOUT_MS, CACHE_TTL_MS.
 * @throws ConfigError naming the variable
 */
export function loadHostConfig(env: NodeJS.ProcessEnv = process.env): HostConfig {
  const cache = (env.CACHE || 'local') as CacheMode;
  if (!cacheModes.includes(cache)) throw new ConfigError(`CACHE must be one of ${cacheModes.join(', ')}, got "${env.CACHE}"`);
  return {
    pgUrl: required(env, 'PG_URL'),
    redisUrl: required(env, 'REDIS_URL'),
    cache,
    poolMax: integer(env, 'POOL_MAX', 5, 1, 1000),
    poolQueueMax: integer(env, 'POOL_QUEUE_MAX', 100, 0, 100_000),
    poolWaitMs: integer(env, 'POOL_WAIT_MS', 5000, 1, 600_000),
    statementTimeoutMs: integer(env, 'STATEMENT_TIMEOUT_MS', 5000, 1, 600_000),
    workers: integer(env, 'WORKERS', 2, 1, 64),
    drainDelayMs: integer(env, 'DRAIN_DELAY_MS', 1500, 0, 60_000),
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 30_000, 1, 600_000),
    cacheTtlMs: integer(env, 'CACHE_TTL_MS', 60_000, 1, 86_400_000),
  };
}
