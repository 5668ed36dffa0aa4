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
  /** Each process's own CPU seconds (with its reaped children's), for a per-process split. */
  byPid: Map<number, number>;
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
  return {
    pids, serving,
    cpuSeconds: pids.reduce((sum, pid) => sum + byPid.get(pid)!.cpuTicks, 0) / 100,
    byPid: new Map(pids.map((pid) => [pid, byPid.get(pid)!.cpuTicks / 100])),
  };
}

/**
 * A short name for what process `pid` runs, from /proc/<pid>/cmdline: the script of a Node
 * process (`11-cluster/src/worker.ts`), or the title a process gave itself (pm2's daemon sets
 * `PM2 v7.0.4: God Daemon (…)`, its workers `node <script>`). Undefined once it has exited.
 */
export function describeProcess(pid: number): string | undefined {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
  // Arguments are NUL-separated; a process that set its title has one string with spaces.
  const parts = raw.split('\0').filter(Boolean);
  const tokens = parts.length === 1 ? parts[0]!.split(' ') : parts;
  const first = tokens[0] ?? '';
  const script = [...tokens].reverse().find((t) => !t.startsWith('-') && !t.startsWith('file:') && /\.(ts|js|mjs|cjs)$/.test(t));
  if (/(^|\/)node(js)?(\d+)?$/.test(first) && script) return script.split('/').slice(-3).join('/');
  if (first.startsWith('/')) return first.split('/').pop();
  return raw.replace(/\0/g, ' ').split(' (')[0]!.trim().slice(0, 48) || undefined;
}

/** Kernel-side counters of one process: where its CPU went and how often it was switched out. */
export interface ProcessCounters {
  /** stime + cstime: CPU seconds spent in the kernel (system calls, the TCP stack). */
  sysSeconds: number;
  /** Times it gave up the CPU itself (waiting for I/O, epoll). */
  voluntarySwitches: number;
  /** Times the scheduler took the CPU away while it could still run. */
  involuntarySwitches: number;
}

/** {@link ProcessCounters} of `pid` from /proc; undefined once it has exited or without /proc. */
export function processCounters(pid: number): ProcessCounters | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const count = (name: string): number => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return {
      sysSeconds: (Number(fields[12]) + Number(fields[14])) / 100,
      voluntarySwitches: count('voluntary_ctxt_switches'),
      involuntarySwitches: count('nonvoluntary_ctxt_switches'),
    };
  } catch {
    return undefined;
  }
}
