/**
 * The settings this lesson adds to the course's config, read once by the entry points.
 */
import { availableParallelism } from 'node:os';
import { ConfigError, integerFromEnv as integer } from '@course/shared';

/** How a worker's cache learns about other workers' writes. */
export type InvalidationMode = 'broadcast' | 'none';

/** Settings of the cluster and of each worker. */
export interface ClusterConfig {
  /** Workers the primary forks (default: one per core). */
  workers: number;
  /** `broadcast`: writes are relayed through the primary; `none`: each cache on its own (the bug). */
  invalidation: InvalidationMode;
  /** Entries per worker cache. */
  cacheMax: number;
  /** Cache time-to-live, ms: the bound on staleness when nothing invalidates. */
  cacheTtlMs: number;
  /** How long, in total, a query waits (with timers, off the event loop) for another process's lock before a 503 (ms). */
  busyTimeoutMs: number;
  /** How long a worker keeps reading IPC after it stopped serving, before it exits (ms). */
  exitLingerMs: number;
  /** A new worker must report ready within this, or the rolling restart stops (ms). */
  readyTimeoutMs: number;
  /** REUSE_PORT=1: listen with SO_REUSEPORT (src/reuse-port-server.ts starts such processes). */
  reusePort: boolean;
}

/**
 * Reads WORKERS, CACHE_INVALIDATION, CACHE_MAX, CACHE_TTL_MS, BUSY_TIMEOUT_MS, EXIT_LINGER_MS, READY_TIMEOUT_MS and REUSE_PORT.
 * @throws ConfigError naming the variable when a value cannot be used
 */
export function loadClusterConfig(env: NodeJS.ProcessEnv = process.env): ClusterConfig {
  const invalidation = env.CACHE_INVALIDATION || 'broadcast';
  if (invalidation !== 'broadcast' && invalidation !== 'none') {
    throw new ConfigError(`CACHE_INVALIDATION must be "broadcast" or "none", got "${invalidation}"`);
  }
  return {
    workers: integer(env, 'WORKERS', availableParallelism(), 1, 256),
    invalidation,
    cacheMax: integer(env, 'CACHE_MAX', 10_000, 1, 10_000_000),
    cacheTtlMs: integer(env, 'CACHE_TTL_MS', 60_000, 1, 86_400_000),
    busyTimeoutMs: integer(env, 'BUSY_TIMEOUT_MS', 5000, 0, 600_000),
    exitLingerMs: integer(env, 'EXIT_LINGER_MS', 500, 0, 60_000),
    readyTimeoutMs: integer(env, 'READY_TIMEOUT_MS', 60_000, 1000, 600_000),
    reusePort: env.REUSE_PORT === '1',
  };
}
