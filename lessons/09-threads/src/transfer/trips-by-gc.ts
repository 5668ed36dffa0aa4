/**
 * Sorts timed operations by whether a major GC of this thread ran during them, to check a
 * claim the bench's columns can only suggest: that the slow copies are the ones a full GC
 * interrupted. GC entries carry their own start time, so a late observer callback is fine.
 */
import { PerformanceObserver, type PerformanceNodeEntry, constants, performance } from 'node:perf_hooks';

/** Operations in one class: how many, and their latency percentiles. */
export interface TripClass { count: number; p50Ms: number; p99Ms: number }

/** Records GC spans until stopped; `time(fn)` times one operation. */
export function tripsByGc(): {
  time: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Waits for late GC entries, then splits the timed operations. */
  summary: () => Promise<{ withMajorGc: TripClass; without: TripClass }>;
  stop: () => void;
} {
  const majors: { start: number; end: number }[] = [];
  const trips: { start: number; end: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceNodeEntry[]) {
      if ((entry.detail as { kind: number }).kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors.push({ start: entry.startTime, end: entry.startTime + entry.duration });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const classify = (list: { start: number; end: number }[]): TripClass => {
    const ms = list.map((t) => t.end - t.start).sort((a, b) => a - b);
    const at = (p: number): number => ms[Math.min(ms.length - 1, Math.max(0, Math.ceil((ms.length * p) / 100) - 1))] ?? Number.NaN;
    return { count: ms.length, p50Ms: at(50), p99Ms: at(99) };
  };
  return {
    time: async (fn) => {
      const start = performance.now();
      try {
        return await fn();
      } finally {
        trips.push({ start, end: performance.now() });
      }
    },
    summary: async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const hit = (t: { start: number; end: number }): boolean => majors.some((g) => g.start < t.end && g.end > t.start);
      return { withMajorGc: classify(trips.filter(hit)), without: classify(trips.filter((t) => !hit(t))) };
    },
    stop: () => observer.disconnect(),
  };
}
