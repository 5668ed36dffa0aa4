/**
 * CPU time of another process, from /proc (Linux). Req/s depends on everything else the
 * machine runs; CPU seconds per request is what the server itself spent.
 */
import { readFileSync } from 'node:fs';

/** utime + stime of process `pid` in seconds, or undefined where /proc is missing. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name (which may contain spaces): utime is field 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of this process's children that have exited and been reaped (cutime + cstime of
 * /proc/self/stat), or undefined where /proc is missing. The difference across a run of a
 * child generator (wrk) is that generator's CPU.
 */
export function reapedChildrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}
