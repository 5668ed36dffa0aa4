/**
 * Messages between a pool and its workers, threads (lesson 09) or child processes (lesson 10).
 * Every task carries an id and every answer repeats it: the pool pairs them up, and ignores an
 * answer for a task it has already given up on.
 */

/** Pool → worker: run one task. */
export interface TaskRequest { type: 'task'; id: number; payload: unknown }

/** Worker → pool. `ready` once the task module is loaded. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: unknown };
