/**
 * Keeping the load generator off the server's CPU where the machine allows it: on Linux with
 * `taskset` (util-linux) and at least two CPUs, a one-process server gets the last CPU and the
 * generator (this process, all its threads) the others. A cluster cannot be pinned apart from
 * its generator on 2 cores; there the report shows the generator's share of the CPU instead.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** CPUs this process may use, read before any pinning narrows what availableParallelism() sees. */
const cores = availableParallelism();

/** The machine's CPU count for reports (unchanged by the harness's own pinning). */
export function machineCores(): number {
  return cores;
}

let available: boolean | undefined;

/** True when `taskset` runs here and there are at least two CPUs to split. */
export function canPin(): boolean {
  if (available === undefined) {
    available = cores >= 2 && process.platform === 'linux' && spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
  }
  return available;
}

function taskset(cpus: string, pid: number): boolean {
  // -a: every thread of the process (libuv pool, V8 helpers), not only the main one.
  return spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' }).status === 0;
}

/** CPU lists for the server and for the generator, e.g. `1` and `0`. */
export function cpuSplit(): { server: string; generator: string; all: string } {
  const n = cores;
  return { server: String(n - 1), generator: n > 2 ? `0-${n - 2}` : '0', all: `0-${n - 1}` };
}

/** Pins `serverPid` to the server CPU; false if that failed. */
export function pinServer(serverPid: number): boolean {
  return canPin() && taskset(cpuSplit().server, serverPid);
}

/** Pins this process (the generator) apart from the server, or lets it use every CPU again. */
export function pinGenerator(apart: boolean): boolean {
  if (!canPin()) return false;
  const split = cpuSplit();
  return taskset(apart ? split.generator : split.all, process.pid);
}
