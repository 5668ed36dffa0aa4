/**
 * What this thread has used so far, for attributing one copy's time: wall clock on a scale all
 * threads share, minor page faults (Linux: /proc/thread-self/stat) and CPU time of this thread
 * alone. The CPU time comes from `process.threadCpuUsage()` where Node has it (23.9 and later;
 * not Node 20), else from Linux's `/proc/thread-self/schedstat`, whose first field is the
 * thread's time on a CPU in nanoseconds. Missing pieces read as NaN, and print as "–".
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** One reading; subtract two for a span. */
export interface ThreadSample { atMs: number; minorFaults: number; cpuMs: number }

type CpuUsage = () => { user: number; system: number };
type ReadText = (path: string) => string;

/** Where this thread's CPU time comes from, and how to read it (ms; NaN when nowhere). */
export interface ThreadCpuClock {
  source: 'process.threadCpuUsage' | '/proc/thread-self/schedstat' | 'none';
  /** Why the CPU columns are missing or come from /proc; empty when Node has the API. */
  note: string;
  cpuMs(): number;
}

const readProc: ReadText = (path) => readFileSync(path, 'latin1');

/** Picks the first source of per-thread CPU time that works here (tests pass `null` for "no API"). */
export function threadCpuClock(
  threadCpuUsage: CpuUsage | null = (typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage.bind(process) : null),
  read: ReadText = readProc,
): ThreadCpuClock {
  if (threadCpuUsage) {
    return { source: 'process.threadCpuUsage', note: '', cpuMs: () => { const u = threadCpuUsage(); return (u.user + u.system) / 1000; } };
  }
  const schedstat = (): number => Number(read('/proc/thread-self/schedstat').split(' ')[0]) / 1e6;
  try {
    if (Number.isFinite(schedstat())) {
      return { source: '/proc/thread-self/schedstat', note: `thread CPU from /proc/thread-self/schedstat: Node ${process.version} has no process.threadCpuUsage() (23.9+)`, cpuMs: schedstat };
    }
  } catch { /* not Linux, or a kernel without CONFIG_SCHED_INFO */ }
  return { source: 'none', note: `CPU columns "–": Node ${process.version} has no process.threadCpuUsage() (23.9+) and this system no /proc/thread-self/schedstat`, cpuMs: () => Number.NaN };
}

const clock = threadCpuClock();

function minorFaults(): number {
  try {
    // Fields after the command name (which may hold spaces): state is 3rd, minflt the 10th.
    const stat = readProc('/proc/thread-self/stat');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
  } catch {
    return Number.NaN;
  }
}

/** Reads this thread's clock, faults and CPU now. */
export function sampleThread(): ThreadSample {
  return {
    // timeOrigin differs per thread; timeOrigin + now() does not.
    atMs: performance.timeOrigin + performance.now(),
    minorFaults: minorFaults(),
    cpuMs: clock.cpuMs(),
  };
}

/** Where {@link sampleThread} gets CPU time in this process, and the note copy-tail prints. */
export const threadCpuSource: Pick<ThreadCpuClock, 'source' | 'note'> = { source: clock.source, note: clock.note };

/** A table cell: whole numbers from 100, one decimal below, "–" for a reading that is missing. */
export function formatCell(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1);
}
