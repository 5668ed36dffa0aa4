/**
 * The IPC protocol between the primary and its workers, for cache invalidation.
 *
 * worker → primary  `cache:subscribe`   this worker has a cache and applies invalidations
 * worker → primary  `cache:invalidate`  I wrote; tell the others (seq numbers this worker's writes)
 * primary → worker  `cache:apply`       another worker wrote; drop what it touched, then answer
 * worker → primary  `cache:applied`     done
 * primary → worker  `cache:ack`         every other worker has applied your write `seq`
 *
 * and for the worker's life: `worker:timings` (start-up phases), `worker:closing` → `worker:bye`
 * (the exit handshake), `shutdown` (primary → worker: drain and exit), `connection` (primary →
 * worker, with a socket: serve it; when the primary owns the port).
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
  | { type: 'shutdown' }
  /** Answer to `worker:closing`: no connection handed to this worker is still on its way. */
  | { type: 'worker:bye' }
  /** With a socket attached: a connection the primary accepted on its port, for this worker to serve. */
  | { type: 'connection'; id: number }
  /** Sent to src/server.ts by a parent over IPC (bench:reload); answered `rolling-restart-done`. */
  | { type: 'rolling-restart' };

/** Where a worker's start went, in ms (sent to the primary as `worker:timings`). */
export interface StartTimings {
  /** Process start → first line of worker.ts: Node's boot, the TypeScript loader, compiling worker.ts. */
  bootMs: number;
  /** Loading (and compiling) the app's modules: express, the shared library, lesson 03's cache. */
  importsMs: number;
  /** Opening the SQLite file and preparing the repository. */
  databaseMs: number;
  /** Creating the app and listening. */
  listenMs: number;
}

/** Worker → primary messages about its lifecycle (not cache invalidation). */
export type LifecycleMessage =
  | { type: 'worker:timings'; timings: StartTimings }
  /** This worker stopped accepting and is draining; answer with `worker:bye`. */
  | { type: 'worker:closing' }
  /** This worker holds connection `id` now: the primary may close its copy. */
  | { type: 'connection:taken'; id: number };

/** Narrows an IPC message to one of this lesson's (other messages pass through untouched). */
export function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
