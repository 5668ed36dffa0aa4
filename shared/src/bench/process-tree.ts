/**
 * A variant's processes, from /proc (Linux): its server and everything that server started
 * (cluster workers, forked children), with their CPU time.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Stat { pid: number; ppid: number; cpuTicks: number; name: string }

/** Parses /proc/<pid>/stat: ppid and utime + stime + cutime + cstime, in clock ticks. */
export function parseStat(pid: number, text: string): Stat {
  // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
  const close = text.lastIndexOf(')');
  const name = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return { pid, ppid: Number(fields[1]), cpuTicks: ticks, name };
}

function readStats(): Stat[] | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const stats: Stat[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      stats.push(parseStat(Number(name), readFileSync(`/proc/${name}/stat`, 'utf8')));
    } catch { /* exited meanwhile */ }
  }
  return stats;
}

/** The processes of a variant at one instant, and their summed CPU seconds. */
export interface TreeSnapshot {
  pids: number[];
  /** The pids that serve: all but helper processes (tsx's idle `esbuild` service). */
  serving: number[];
  cpuSeconds: number;
}

/** Processes that belong to the tree's CPU but not to its count of servers. */
const helpers = new Set(['esbuild']);

/**
 * `roots` and all their descendants. CPU includes the time of children they have already
 * reaped (cutime, cstime), so a child that exits during a round still counts: the difference
 * between two snapshots is the CPU the whole tree spent between them.
 * @returns undefined where /proc is missing
 */
export function snapshotTree(roots: readonly number[]): TreeSnapshot | undefined {
  const stats = readStats();
  if (!stats) return undefined;
  const children = new Map<number, Stat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const seen = new Set<number>();
  const queue = roots.filter((pid) => byPid.has(pid));
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    for (const child of children.get(pid) ?? []) queue.push(child.pid);
  }
  const pids = [...seen];
  // USER_HZ is 100 on every Linux build Node supports.
  const serving = pids.filter((pid) => !helpers.has(byPid.get(pid)!.name));
  return { pids, serving, cpuSeconds: pids.reduce((sum, pid) => sum + byPid.get(pid)!.cpuTicks, 0) / 100 };
}
