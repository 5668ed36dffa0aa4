/**
 * What this thread has used so far, for attributing one copy's time: wall clock on a scale all
 * threads share, minor page faults (Linux: /proc/thread-self/stat) and CPU time of this thread
 * alone (`process.threadCpuUsage`, Node 23.9+). Missing pieces read as NaN.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** One reading; subtract two for a span. */
export interface ThreadSample { atMs: number; minorFaults: number; cpuMs: number }

// Typed as always there (@types/node 26); absent at run time before Node 23.9, so checked.
const threadCpu = typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage : undefined;

function minorFaults(): number {
  try {
    // Fields after the command name (which may hold spaces): state is 3rd, minflt the 10th.
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
  } catch {
    return Number.NaN;
  }
}

/** Reads this thread's clock, faults and CPU now. */
export function sampleThread(): ThreadSample {
  const cpu = threadCpu?.call(process);
  return {
    // timeOrigin differs per thread; timeOrigin + now() does not.
    atMs: performance.timeOrigin + performance.now(),
    minorFaults: minorFaults(),
    cpuMs: cpu ? (cpu.user + cpu.system) / 1000 : Number.NaN,
  };
}
