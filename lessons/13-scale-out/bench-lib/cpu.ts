/**
 * CPU seconds spent by each component of the stack, from /proc: where a request's time went.
 * The harness sums them all (srv µs/req); this splits the sum by program.
 */
import { cpuSeconds } from '@course/shared/bench';
import { descendants, type Stack } from '../src/stack.ts';

export type Component = 'haproxy' | 'redis' | 'postgres' | 'node primaries' | 'node workers';
export const components: readonly Component[] = ['haproxy', 'redis', 'postgres', 'node primaries', 'node workers'];
export type ComponentSeconds = Record<Component, number>;

/** The processes the harness follows for a stack (it adds their descendants). */
export function stackRoots(stack: Stack): number[] {
  return [stack.haproxy.engine.pid, stack.redis.engine.pid, stack.postgres.engine.pid, ...stack.hosts.map((h) => h.process.pid!)];
}

function pidsOf(stack: Stack): Record<Component, number[]> {
  const withChildren = (pid: number): number[] => [pid, ...descendants(pid)];
  return {
    haproxy: withChildren(stack.haproxy.engine.pid),
    redis: withChildren(stack.redis.engine.pid),
    // The postmaster forks one backend per connection: the pools' backends do the work.
    postgres: withChildren(stack.postgres.engine.pid),
    // A host's primary accepts every connection and hands it to a worker (lesson 11).
    'node primaries': stack.hosts.map((h) => h.process.pid!),
    // Workers, and tsx's esbuild helpers.
    'node workers': stack.hosts.flatMap((h) => descendants(h.process.pid!)),
  };
}

/** CPU seconds per process so far, labelled by component. */
export type CpuSample = Map<number, { component: Component; seconds: number }>;

export function sampleCpu(stack: Stack): CpuSample {
  const sample: CpuSample = new Map();
  for (const [component, pids] of Object.entries(pidsOf(stack)) as [Component, number[]][]) {
    for (const pid of pids) {
      const seconds = cpuSeconds(pid);
      if (seconds !== undefined) sample.set(pid, { component, seconds });
    }
  }
  return sample;
}

/** CPU seconds per component between two samples; a process that exited in between drops out. */
export function cpuBetween(before: CpuSample, after: CpuSample): ComponentSeconds {
  const totals = Object.fromEntries(components.map((c) => [c, 0])) as ComponentSeconds;
  for (const [pid, { component, seconds }] of after) totals[component] += seconds - (before.get(pid)?.seconds ?? 0);
  return totals;
}
