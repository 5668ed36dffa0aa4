/**
 * Garbage collections in this process between two reads, for bench columns: a copy of a
 * large buffer allocates it again on the other side, and the GC that frees those copies is
 * part of what a copy costs (and of its spread).
 */
import { PerformanceObserver, type PerformanceNodeEntry, constants } from 'node:perf_hooks';

/** Counts minor and major GCs and their total time until stopped; `read()` resets. */
export function gcCounter(): { read: () => Promise<Record<string, number>>; stop: () => void } {
  let minor = 0;
  let major = 0;
  let ms = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceNodeEntry[]) {
      const kind = (entry.detail as { kind: number }).kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
      ms += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    read: async () => {
      // GC entries reach the observer a few loop turns after the collection.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const counts = { 'minor GCs': minor, 'major GCs': major, 'GC ms': ms };
      minor = 0; major = 0; ms = 0;
      return counts;
    },
    stop: () => observer.disconnect(),
  };
}
