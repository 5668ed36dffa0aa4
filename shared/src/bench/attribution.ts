/**
 * Where the time went during a measured round: CPU of every process of the variant (from
 * /proc), CPU of the load generator (this process), and, from each server process's probe,
 * event-loop utilisation and GC. Anything a variant cannot report stays undefined and prints
 * as "–", never as 0.
 */
import { machineCores } from './isolation.ts';
import { probedPids, queryProbe, type ProbeStats } from './probe-client.ts';
import { describeProcess, processCounters, snapshotTree, type ProcessCounters } from './process-tree.ts';

/** What one round spent, before dividing by requests. */
export interface RoundCost {
  wallSeconds: number;
  /** CPU seconds of the server and all its descendants; undefined without /proc. */
  serverCpuSeconds?: number;
  /** CPU seconds of this process (autocannon and the harness). */
  generatorCpuSeconds: number;
  /** Server processes (tsx's esbuild helper not counted; its CPU is). */
  processes?: number;
  /** Per probed process: event-loop active and idle ms during the round. */
  loops: { pid: number; activeMs: number; idleMs: number }[];
  /** GC during the round, summed over probed processes; undefined when none reported. */
  gcCount?: number;
  gcMs?: number;
  /**
   * CPU seconds of each process of the tree during the round, with its role (one of the
   * `roots` the target declared, a descendant, or a helper like tsx's esbuild) and command.
   */
  perProcess?: ProcessCost[];
}

/** One process's share of a round (or, in {@link Attribution}, of all rounds per request). */
export interface ProcessCost {
  pid: number;
  role: 'root' | 'child' | 'helper';
  /** What it runs (see describeProcess), e.g. `11-cluster/src/worker.ts`. */
  command: string;
  cpuSeconds: number;
  /** Of `cpuSeconds`, in the kernel; and the main thread's context switches (see ProcessCounters). */
  sysSeconds?: number;
  voluntarySwitches?: number;
  involuntarySwitches?: number;
}

interface Mark {
  at: number;
  cpu: NodeJS.CpuUsage;
  tree?: { pids: number[]; serving: number[]; cpuSeconds: number; byPid: Map<number, number> };
  probes: Map<number, ProbeStats>;
  counters: Map<number, ProcessCounters>;
}

async function readProbes(pids: readonly number[]): Promise<Map<number, ProbeStats>> {
  const withProbe = probedPids();
  const stats = await Promise.all(pids.filter((pid) => withProbe.has(pid)).map((pid) => queryProbe<ProbeStats>(pid, { cmd: 'stats' })));
  return new Map(stats.filter((s): s is ProbeStats => s !== undefined && typeof s.pid === 'number').map((s) => [s.pid, s]));
}

/** Marks the start of a round for the processes under `roots`. */
export async function markRound(roots: readonly number[]): Promise<Mark> {
  const tree = roots.length > 0 ? snapshotTree(roots) : undefined;
  const probes = await readProbes(tree?.pids ?? []);
  return { at: performance.now(), cpu: process.cpuUsage(), tree, probes, counters: countersOf(tree?.pids ?? []) };
}

/** What the round since `start` cost. */
export async function finishRound(start: Mark, roots: readonly number[]): Promise<RoundCost> {
  const cpu = process.cpuUsage(start.cpu);
  const wallSeconds = (performance.now() - start.at) / 1000;
  const tree = roots.length > 0 ? snapshotTree(roots) : undefined;
  const probes = await readProbes([...start.probes.keys()]);
  const loops: RoundCost['loops'] = [];
  let gcCount = 0;
  let gcMs = 0;
  for (const [pid, after] of probes) {
    const before = start.probes.get(pid)!;
    loops.push({ pid, activeMs: after.eluActiveMs - before.eluActiveMs, idleMs: after.eluIdleMs - before.eluIdleMs });
    gcCount += after.gcCount - before.gcCount;
    gcMs += after.gcMs - before.gcMs;
  }
  return {
    wallSeconds,
    serverCpuSeconds: start.tree && tree ? Math.max(0, tree.cpuSeconds - start.tree.cpuSeconds) : undefined,
    generatorCpuSeconds: (cpu.user + cpu.system) / 1e6,
    processes: tree ? new Set([...tree.serving, ...(start.tree?.serving ?? [])]).size : undefined,
    loops,
    gcCount: probes.size > 0 ? gcCount : undefined,
    gcMs: probes.size > 0 ? gcMs : undefined,
    perProcess: tree ? perProcess(start, tree.byPid, tree.serving, roots) : undefined,
  };
}

/** Each process's CPU between two snapshots; one that started meanwhile counts from 0. */
function perProcess(start: Mark, after: Map<number, number>, serving: readonly number[], roots: readonly number[]): ProcessCost[] {
  const end = countersOf([...after.keys()]);
  return [...after].map(([pid, seconds]) => {
    const a = end.get(pid);
    const b = start.counters.get(pid) ?? { sysSeconds: 0, voluntarySwitches: 0, involuntarySwitches: 0 };
    return {
      pid,
      role: roots.includes(pid) ? 'root' : serving.includes(pid) ? 'child' : 'helper',
      command: describeProcess(pid) ?? '?',
      cpuSeconds: Math.max(0, seconds - (start.tree?.byPid.get(pid) ?? 0)),
      ...(a ? {
        sysSeconds: Math.max(0, a.sysSeconds - b.sysSeconds),
        voluntarySwitches: a.voluntarySwitches - b.voluntarySwitches,
        involuntarySwitches: a.involuntarySwitches - b.involuntarySwitches,
      } : {}),
    };
  });
}

function countersOf(pids: readonly number[]): Map<number, ProcessCounters> {
  return new Map(pids.flatMap((pid) => {
    const c = processCounters(pid);
    return c ? [[pid, c] as const] : [];
  }));
}

/** A variant's attribution over all its measured rounds, per request. */
export interface Attribution {
  serverCpuUsPerRequest?: number;
  generatorCpuUsPerRequest?: number;
  /** Share of the machine's CPU time (cores × wall time) the generator used, %. */
  generatorSharePct?: number;
  /**
   * The generator's CPU seconds per wall second: its share of the one core its main thread
   * (autocannon's JS, wrk -t1) can use. At 0.9 or more it is saturated, and req/s measures it.
   */
  generatorCoreShare?: number;
  /** Event-loop utilisation of the busiest server process (0–1). */
  elu?: number;
  gcCount?: number;
  gcMs?: number;
  processes?: number;
  /** Server pinned apart from the generator (taskset). */
  pinned?: boolean;
  /**
   * Server CPU µs per request by process, same role and command summed (e.g. both workers):
   * where in a multi-process server the time went. `processes` is how many were summed.
   */
  perProcess?: {
    role: ProcessCost['role']; command: string; processes: number; cpuUsPerRequest: number;
    /** Share of that CPU spent in the kernel, %; main-thread context switches per request. */
    sysPct?: number; voluntaryPerRequest?: number; involuntaryPerRequest?: number;
  }[];
}

/** Sums rounds and divides by requests. */
export function attribute(rounds: readonly { requests: number; cost: RoundCost }[], pinned: boolean): Attribution {
  const requests = rounds.reduce((s, r) => s + r.requests, 0);
  const sum = (pick: (c: RoundCost) => number | undefined): number | undefined => {
    const values = rounds.map((r) => pick(r.cost));
    return values.every((v) => v !== undefined) ? values.reduce((a, b) => a! + b!, 0) : undefined;
  };
  const perRequest = (seconds: number | undefined): number | undefined => (seconds === undefined || requests === 0 ? undefined : (seconds * 1e6) / requests);
  const wall = rounds.reduce((s, r) => s + r.cost.wallSeconds, 0);
  const generator = sum((c) => c.generatorCpuSeconds);
  const loops = new Map<number, { active: number; idle: number }>();
  for (const r of rounds) {
    for (const l of r.cost.loops) {
      const acc = loops.get(l.pid) ?? { active: 0, idle: 0 };
      loops.set(l.pid, { active: acc.active + l.activeMs, idle: acc.idle + l.idleMs });
    }
  }
  const elus = [...loops.values()].filter((l) => l.active + l.idle > 0).map((l) => l.active / (l.active + l.idle));
  return {
    serverCpuUsPerRequest: perRequest(sum((c) => c.serverCpuSeconds)),
    generatorCpuUsPerRequest: perRequest(generator),
    generatorSharePct: generator === undefined || wall === 0 ? undefined : (100 * generator) / (wall * machineCores()),
    generatorCoreShare: generator === undefined || wall === 0 ? undefined : generator / wall,
    elu: elus.length > 0 ? Math.max(...elus) : undefined,
    gcCount: sum((c) => c.gcCount),
    gcMs: sum((c) => c.gcMs),
    processes: Math.max(0, ...rounds.map((r) => r.cost.processes ?? 0)) || undefined,
    pinned,
    perProcess: splitByProcess(rounds, requests),
  };
}

function splitByProcess(rounds: readonly { cost: RoundCost }[], requests: number): Attribution['perProcess'] {
  if (requests === 0 || rounds.some((r) => !r.cost.perProcess)) return undefined;
  const groups = new Map<string, { role: ProcessCost['role']; command: string; pids: Set<number>; seconds: number; sys: number; vol: number; invol: number; counted: boolean }>();
  for (const p of rounds.flatMap((r) => r.cost.perProcess!)) {
    const key = `${p.role} ${p.command}`;
    const group = groups.get(key) ?? { role: p.role, command: p.command, pids: new Set<number>(), seconds: 0, sys: 0, vol: 0, invol: 0, counted: true };
    group.pids.add(p.pid);
    group.seconds += p.cpuSeconds;
    if (p.sysSeconds === undefined) group.counted = false;
    group.sys += p.sysSeconds ?? 0;
    group.vol += p.voluntarySwitches ?? 0;
    group.invol += p.involuntarySwitches ?? 0;
    groups.set(key, group);
  }
  const order = { root: 0, child: 1, helper: 2 };
  return [...groups.values()]
    .sort((a, b) => order[a.role] - order[b.role] || b.seconds - a.seconds)
    .map((g) => ({
      role: g.role, command: g.command, processes: g.pids.size, cpuUsPerRequest: (g.seconds * 1e6) / requests,
      ...(g.counted ? { sysPct: g.seconds > 0 ? (100 * g.sys) / g.seconds : undefined, voluntaryPerRequest: g.vol / requests, involuntaryPerRequest: g.invol / requests } : {}),
    }));
}
