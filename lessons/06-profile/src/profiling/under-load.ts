/**
 * Starts a target under extra Node flags (a profiler), loads it with autocannon for a fixed
 * time, and stops it gracefully so the profiler can write its files.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@course/shared';
import { runAutocannon, spawnServer } from '@course/shared/bench';
import type { ProfileTarget } from './targets.ts';

/** `profiles/<kind>-<target>-<time>/`, inside the repository's git-ignored profiles/ folder. */
export function profileDir(kind: string, target: Pick<ProfileTarget, 'name'>): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(repoRoot, 'profiles', `${kind}-${target.name}-${stamp}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** What the load run measured. */
export interface LoadRun {
  requests: number;
  rate: number;
  p99Ms: number;
  non2xx: number;
  /** When the load ran, in microseconds of the monotonic clock (the clock V8 profiles use). */
  fromUs: number;
  toUs: number;
  /**
   * CPU time the server process used during the load (all its threads), in ms; undefined off
   * Linux. Unlike a sampled profile, this does not count time spent waiting for a CPU.
   */
  serverCpuMs?: number;
}

/** utime + stime of a process from /proc/<pid>/stat, in ms (Linux; undefined elsewhere). */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    const ticksPerSecond = 100; // USER_HZ, 100 on every Linux Node supports
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** Runs the target (through tsx unless `loader: 'none'`) with `nodeArgs` under load for `seconds`, then SIGTERM and wait for exit. */
export async function runUnderLoad(target: ProfileTarget, options: { nodeArgs: string[]; env?: Record<string, string>; seconds: number; connections: number; loader?: 'tsx' | 'none' }): Promise<LoadRun> {
  const server = await spawnServer(target.entry, { nodeArgs: options.nodeArgs, env: { ...target.env, ...options.env }, timeoutMs: 120_000, loader: options.loader });
  try {
    console.log(`profiling ${target.description} (pid ${server.pid}) for ${options.seconds} s, ${options.connections} connections`);
    const cpuBefore = processCpuMs(server.pid);
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const result = await runAutocannon(server.url, options.seconds, options.connections, { requests: target.requests });
    const toUs = Number(process.hrtime.bigint() / 1000n);
    const cpuAfter = processCpuMs(server.pid);
    const serverCpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
    return { requests: result.requests.total, rate: result.requests.total / result.duration, p99Ms: result.latency.p99, non2xx: result.non2xx, fromUs, toUs, serverCpuMs };
  } finally {
    // Graceful: the server exits through process.exit, which is when --cpu-prof writes.
    await server.close(30_000);
  }
}

/** Repository-relative path, for printing. */
export const shown = (path: string): string => path.replace(`${repoRoot}`, '').replace(/^\//, '');
