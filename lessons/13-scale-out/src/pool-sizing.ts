/**
 * How many PostgreSQL connections each worker's pool may open.
 *
 * Every worker of every host has its own pool, and PostgreSQL serves each connection with a
 * whole process: the budget is the server's `max_connections` minus the slots it keeps for
 * superusers and the ones an operator needs (psql, migrations, the bench's sampler).
 */

/** What the sizing depends on. */
export interface PoolBudget {
  hosts: number;
  workersPerHost: number;
  maxConnections: number;
  /** Connections kept free for everything that is not a worker (default 5). */
  reserved?: number;
}

/** The largest pool size that fits: floor((max_connections − reserved) / (hosts × workers)). */
export function poolSizeFor(budget: PoolBudget): number {
  const usable = budget.maxConnections - (budget.reserved ?? 5);
  // LESSON: hosts × workers × pool ≤ max_connections − reserved, or the last worker to
  // connect gets "sorry, too many clients already" under load, not at start.
  return Math.floor(usable / (budget.hosts * budget.workersPerHost));
}

/**
 * @throws Error naming the numbers when `poolMax` pools of every worker would not fit
 */
export function assertPoolsFit(budget: PoolBudget, poolMax: number): void {
  const fits = poolSizeFor(budget);
  if (poolMax < 1 || poolMax > fits) {
    throw new Error(`${budget.hosts} hosts × ${budget.workersPerHost} workers × pool ${poolMax} = ${budget.hosts * budget.workersPerHost * poolMax} connections, `
      + `but max_connections ${budget.maxConnections} − ${budget.reserved ?? 5} reserved allows a pool of at most ${fits}`);
  }
}
