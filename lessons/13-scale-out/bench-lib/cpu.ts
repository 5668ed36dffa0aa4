/**
 * CPU seconds spent by each component of the stack, from /proc: where a request's time went.
 */
import { cpuSeconds } from '@course/shared/bench';
import { descendants, type Stack } from '../src/stack.ts';

export type Component = 'haproxy' | 'redis' | 'postgres' | 'node';
export const components: readonly Component[] = ['haproxy', 'redis', 'postgres', 'node'];

function pidsOf(stack: Stack): Record<Component, number[]> {
  const withChildren = (pid: number): number[] => [pid, ...descendants(pid)];
  return {
    haproxy: withChildren(stack.haproxy.engine.pid),
    redis: withChildren(stack.redis.engine.pid),
    // The postmaster forks one backend per connection: the pools' backends do the work.
    postgres: withChildren(stack.postgres.engine.pid),
    node: stack.hosts.flatMap((h) => withChildren(h.process.pid!)),
  };
}

/** CPU seconds per component so far; a process that exits in between drops out of the sum. */
export function sampleCpu(stack: Stack): Map<number, { component: Component; seconds: number }> {
  const sample = new Map<number, { component: Component; seconds: number }>();
  for (const [component, pids] of Object.entries(pidsOf(stack)) as [Component, number[]][]) {
    for (const pid of pids) {
      const seconds = cpuSeconds(pid);
      if (seconds !== undefined) sample.set(pid, { component, seconds });
    }
  }
  return sample;
}

/** µs of CPU per request for each component between two samples. */
export function cpuPerRequest(before: ReturnType<typeof sampleCpu>, after: ReturnType<typeof sampleCpu>, requests: number): Record<Component, number> {
  const totals: Record<Component, number> = { haproxy: 0, redis: 0, postgres: 0, node: 0 };
  for (const [pid, { component, seconds }] of after) totals[component] += seconds - (before.get(pid)?.seconds ?? 0);
  for (const component of components) totals[component] = requests > 0 ? (totals[component] * 1e6) / requests : NaN;
  return totals;
}
