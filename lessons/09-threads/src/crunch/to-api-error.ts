/**
 * Why a crunch failed, as the course's API errors. Covers both the hand-written pool's
 * errors and piscina's (which are plain Errors recognised by name and message).
 */
import { ApiError, timeout, unavailable, validationError } from '@course/shared';
import { PoolClosedError, PoolStartError, QueueFullError, WorkerExitedError } from '../pool/errors.ts';
import { inputErrorField } from './crunch.ts';

/**
 * Maps a failed task to an ApiError, or returns the error unchanged (a bug: the error
 * handler logs it and answers a generic 500 in the same shape, never the stack).
 * @param timeoutMs the deadline that aborted the task, for the message
 */
export function toApiError(error: unknown, timeoutMs: number): unknown {
  if (error instanceof ApiError) return error;
  const field = inputErrorField(error);
  if (field) return validationError([{ field, message: (error as Error).message }]);
  const e = error as { name?: string; message?: string };
  if (e?.name === 'AbortError') {
    return timeout(`The crunch did not finish within ${timeoutMs} ms and was cancelled`);
  }
  if (error instanceof QueueFullError || /^(Task queue is at limit|No task queue available)/.test(e?.message ?? '')) {
    return unavailable('All crunch workers are busy and the queue is full; retry later');
  }
  if (error instanceof PoolStartError) {
    return unavailable('No crunch worker could start (the server log says why); retry later');
  }
  if (error instanceof WorkerExitedError || /^worker exited with code/i.test(e?.message ?? '')) {
    return unavailable('The worker running this crunch died; it has been replaced, retry the request');
  }
  if (error instanceof PoolClosedError || e?.message === 'Terminating worker thread') {
    return unavailable('The server is shutting down; retry the request');
  }
  return error;
}
