/**
 * How many threads a CPU pool should have. Three numbers answer "how many CPUs", and only
 * the smallest is the budget:
 *
 * - `os.cpus().length`: every online CPU of the machine, whatever this process may use.
 * - `os.availableParallelism()`: the CPUs this process may run on (its affinity mask, e.g.
 *   `taskset -c 0` gives 1). libuv ≥ 1.49 (Node 22 and later here) also caps it by the
 *   cgroup CPU quota; libuv 1.46 (Node 20) does not.
 * - the cgroup quota itself (`cpu.max` in cgroup v2, `cpu.cfs_quota_us / cpu.cfs_period_us`
 *   in v1): what a container with `--cpus=1.5` may use, however many CPUs it sees.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

/** `cpu.max` ("150000 100000", or "max 100000" for no limit) as CPUs, or undefined. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (!quota || quota === 'max' || !period) return undefined;
  const cpusAllowed = Number(quota) / Number(period);
  return Number.isFinite(cpusAllowed) && cpusAllowed > 0 ? cpusAllowed : undefined;
}

/** This process's cgroup CPU quota in CPUs (v2, then v1), or undefined when there is none. */
export function cgroupCpuQuota(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | undefined {
  try { return parseCpuMax(read('/sys/fs/cgroup/cpu.max')); } catch { /* not cgroup v2 */ }
  try {
    const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
    return quota > 0 ? parseCpuMax(`${quota} ${read('/sys/fs/cgroup/cpu/cpu.cfs_period_us')}`) : undefined;
  } catch {
    return undefined; // not Linux, or no cgroup v1 CPU controller
  }
}

/** The three answers, for the README's table and /metrics. */
export function cpuCounts(): { cpus: number; availableParallelism: number; cgroupQuota: number | undefined } {
  return { cpus: cpus().length, availableParallelism: availableParallelism(), cgroupQuota: cgroupCpuQuota() };
}

/** Threads for a CPU-bound pool: availableParallelism(), capped by the quota (at least 1). */
export function defaultPoolSize(counts = cpuCounts()): number {
  // LESSON: size a CPU pool by what this process may use, not by what the machine has.
  const quota = counts.cgroupQuota === undefined ? Infinity : Math.floor(counts.cgroupQuota);
  return Math.max(1, Math.min(counts.availableParallelism, quota));
}
