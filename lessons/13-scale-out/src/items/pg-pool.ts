/**
 * A worker's PostgreSQL pool, with backpressure: a bounded wait for a connection and a bounded
 * statement time, so that an overloaded database answers 503 quickly instead of queueing
 * requests without bound while the balancer times clients out (lesson 09's rule, one hop out).
 */
import pg from 'pg';

/** What the pool's limits depend on (a subset of the host's config). */
export interface PgPoolSettings {
  pgUrl: string;
  poolMax: number;
  poolWaitMs: number;
  statementTimeoutMs: number;
}

/** The pool's configuration: also what a test builds its pool from. */
export function pgPoolConfig(settings: PgPoolSettings): pg.PoolConfig {
  return {
    connectionString: settings.pgUrl,
    max: settings.poolMax,
    // LESSON: a request waits this long for a connection (queued or connecting), then fails.
    connectionTimeoutMillis: settings.poolWaitMs,
    // PostgreSQL cancels a statement that runs longer (the server stops working on it too)…
    statement_timeout: settings.statementTimeoutMs,
    // …and the client gives up a little later, for a server that does not answer at all.
    query_timeout: settings.statementTimeoutMs + 1000,
  };
}

/** A pool that logs its idle connections' failures instead of crashing the worker. */
export function createPgPool(settings: PgPoolSettings, log: (line: string) => void = console.error): pg.Pool {
  const pool = new pg.Pool(pgPoolConfig(settings));
  pool.on('error', (error) => log(`worker ${process.pid}: idle PostgreSQL connection failed: ${error.message}`));
  return pool;
}
