/**
 * The IPC protocol between the primary and its workers, for cache invalidation.
 *
 * worker → primary  `cache:subscribe`   this worker has a cache and applies invalidations
 * worker → primary  `cache:invalidate`  I wrote; tell the others (seq numbers this worker's writes)
 * primary → worker  `cache:apply`       another worker wrote; drop what it touched, then answer
 * worker → primary  `cache:applied`     done
 * primary → worker  `cache:ack`         every other worker has applied your write `seq`
 */
import type { Invalidation } from './cache.ts';

export type WorkerMessage =
  | { type: 'cache:subscribe' }
  | { type: 'cache:invalidate'; seq: number; change: Invalidation }
  | { type: 'cache:applied'; origin: number; seq: number };

export type PrimaryMessage =
  | { type: 'cache:apply'; origin: number; seq: number; change: Invalidation }
  | { type: 'cache:ack'; seq: number }
  /** Drain and exit (the primary's graceful stop, also used by the rolling restart). */
  | { type: 'shutdown' };

/** Narrows an IPC message to one of this lesson's (other messages pass through untouched). */
export function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
