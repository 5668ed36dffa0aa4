/**
 * What the crunch route depends on. Four siblings implement it and differ by one idea:
 * main-thread.ts, worker-per-request.ts, hand-pool.ts, piscina-pool.ts.
 */
import type { CrunchInput, CrunchResult } from './crunch.ts';

/** Runs crunches somewhere: on the main thread, in a new thread, in a pool. */
export interface Cruncher {
  /** Name shown in /metrics and the bench. */
  readonly name: string;
  /** Runs one crunch; `signal` cancels it (where the variant can). */
  run(input: CrunchInput, signal?: AbortSignal): Promise<CrunchResult>;
  /** Numbers for /metrics (threads, queue). */
  stats(): Record<string, number>;
  /** Stops threads; called from the server's onClose and tests' afterAll. */
  close(): Promise<void>;
}

/** The variants, by the name `CRUNCHER` selects in server.ts. */
export const cruncherNames = ['main-thread', 'worker-per-request', 'hand-pool', 'piscina'] as const;
export type CruncherName = (typeof cruncherNames)[number];

/** Pool sizing shared by the pooled variants. */
export interface PoolOptions {
  /** Threads (default: defaultPoolSize(), the CPUs this process may use). */
  threads?: number;
  /** Tasks that may wait; more are answered 503. */
  maxQueue?: number;
  /** Task module (tests pass a fixture that can crash). Default: crunch-task.ts. */
  taskModule?: URL;
}

/** The production task module. */
export const crunchTaskModule = new URL('./crunch-task.ts', import.meta.url);
