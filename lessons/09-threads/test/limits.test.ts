import { describe, expect, it } from 'vitest';
import { runLimitedThread } from '../src/limits/limited-thread.ts';
import { cgroupCpuQuota, defaultPoolSize, parseCpuMax } from '../src/pool/pool-size.ts';
import { workerFactsByMajor, measureWorkerFacts } from '../src/worker-facts.ts';

const major = Number(process.versions.node.split('.')[0]);

describe('a thread with resourceLimits', () => {
  it('that runs out of its own heap ends with ERR_WORKER_OUT_OF_MEMORY; this process carries on', async () => {
    const end = await runLimitedThread('allocate', 16);
    expect(end).toMatchObject({ exitCode: 1, errorCode: 'ERR_WORKER_OUT_OF_MEMORY' });
    expect(end.heapLimitMiB).toBeGreaterThan(16);
    // Still here, and the heap of this thread is untouched by the thread's cap.
    expect(process.memoryUsage().heapUsed).toBeGreaterThan(0);
  });

  it('that calls process.exit(3) ends only itself, with exit code 3', async () => {
    const end = await runLimitedThread('exit');
    expect(end).toEqual({ exitCode: 3, errorCode: undefined, heapLimitMiB: expect.any(Number) });
  });
});

describe(`worker facts of Node ${process.version}`, () => {
  it('match the row the README table gives for this Node line', async () => {
    const expected = workerFactsByMajor[major];
    if (!expected) throw new Error(`no pinned worker facts for Node ${major}: run measureWorkerFacts() and add a row`);
    expect(await measureWorkerFacts()).toEqual(expected);
  });
});

describe('sizing a CPU pool', () => {
  it('reads a cgroup v2 cpu.max as CPUs, "max" as no limit', () => {
    expect(parseCpuMax('150000 100000\n')).toBe(1.5);
    expect(parseCpuMax('max 100000')).toBeUndefined();
  });

  it('reads cgroup v1 quota and period, -1 as no limit', () => {
    const files = (quota: string): ((path: string) => string) => (path) => {
      if (path.endsWith('cpu.max')) throw new Error('ENOENT');
      return path.endsWith('cfs_quota_us') ? quota : '100000\n';
    };
    expect(cgroupCpuQuota(files('50000\n'))).toBe(0.5);
    expect(cgroupCpuQuota(files('-1\n'))).toBeUndefined();
  });

  it('takes the smallest of availableParallelism and the quota, and at least one thread', () => {
    expect(defaultPoolSize({ cpus: 8, availableParallelism: 8, cgroupQuota: 2.5 })).toBe(2);
    expect(defaultPoolSize({ cpus: 8, availableParallelism: 2, cgroupQuota: undefined })).toBe(2);
    expect(defaultPoolSize({ cpus: 8, availableParallelism: 8, cgroupQuota: 0.5 })).toBe(1);
  });
});
