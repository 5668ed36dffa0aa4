/**
 * How long the primary waits before replacing a crashed worker.
 *
 * A worker that dies at start-up (bad config, a missing table, a port in use) would
 * otherwise be replaced, die, and be replaced again as fast as the machine can fork: a
 * crash loop that burns every core and floods the logs. Doubling the delay on each
 * consecutive crash, up to a cap, keeps the primary responsive and the logs readable; a
 * worker that stayed up for `stableAfterMs` resets the count.
 */

/** Backoff settings. */
export interface BackoffOptions {
  /** Delay before the first replacement (ms). */
  initialMs: number;
  /** Largest delay (ms). */
  maxMs: number;
  /** A worker that lived this long before dying starts the count afresh (ms). */
  stableAfterMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 100, maxMs: 30_000, stableAfterMs: 10_000 };

/** Delay before replacing after the `crashesInARow`-th consecutive crash (1-based). */
export function restartDelay(crashesInARow: number, options: BackoffOptions = defaultBackoff): number {
  if (crashesInARow <= 0) return 0;
  return Math.min(options.maxMs, options.initialMs * 2 ** (crashesInARow - 1));
}

/** The consecutive-crash count after a worker that lived `uptimeMs` died. */
export function nextCrashCount(previous: number, uptimeMs: number, options: BackoffOptions = defaultBackoff): number {
  return uptimeMs >= options.stableAfterMs ? 1 : previous + 1;
}
