/**
 * Messages between the child pool and its children. Every request carries an id and every
 * answer repeats it: the parent pairs them up, and ignores an answer whose task it has
 * already given up on.
 */

/** Parent → child: run one task. */
export interface TaskRequest { type: 'task'; id: number; payload: unknown }

/** Child → parent. */
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: { message: string; cause?: unknown } };
