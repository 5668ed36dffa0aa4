/**
 * Why a pooled task did not produce a result. The route maps these to HTTP statuses
 * (see crunch/to-api-error.ts); piscina's equivalents are mapped there too.
 */

/** The queue is at its bound: shed load now rather than let latency grow without limit. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
  constructor(readonly maxQueue: number) {
    super(`Task queue is full (${maxQueue} waiting)`);
  }
}

/** The task's AbortSignal fired (a timeout, a client that left) before it finished. */
export class TaskAbortedError extends Error {
  override name = 'AbortError';
  constructor(reason: unknown) {
    super('The task was aborted', { cause: reason });
  }
}

/** The worker running the task died (process.exit, an uncaught error, out of memory). */
export class WorkerExitedError extends Error {
  override name = 'WorkerExitedError';
  constructor(readonly exitCode: number | undefined, cause?: unknown) {
    super(`The worker running the task exited${exitCode === undefined ? '' : ` with code ${exitCode}`}`, { cause });
  }
}

/**
 * No worker of the pool could load its task module (a broken module, a missing file, a
 * worker that dies at start): the pool has nothing to run tasks on, so it refuses them.
 */
export class PoolStartError extends Error {
  override name = 'PoolStartError';
  constructor(readonly exitCode: number | undefined, cause?: unknown) {
    const code = exitCode === undefined ? '' : ` with code ${exitCode}`;
    const why = cause instanceof Error ? `: ${cause.name}: ${cause.message}` : cause === undefined ? '' : ` (${String(cause)})`;
    super(`No worker of the pool could start: each one exited while loading its task module; the last exited${code}${why}`, { cause });
  }
}

/** The pool is closing or closed. */
export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
  constructor() {
    super('The pool is closed');
  }
}
