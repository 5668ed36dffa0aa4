import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startTsWorker } from '../src/pool/ts-worker.ts';
import { formatCell, sampleThread, threadCpuClock, type ThreadSample } from '../src/transfer/thread-sample.ts';

describe('copy-tail probe', () => {
  it('counts the page faults of a thread that touches fresh memory', () => {
    const before = sampleThread();
    // 40 MB is above glibc's largest mmap threshold (32 MB), so it is a fresh mapping whatever
    // was freed before, and filling it faults once per 4 KiB page (10,240) on Linux.
    Buffer.alloc(40 << 20, 1);
    const after = sampleThread();
    expect(after.atMs).toBeGreaterThanOrEqual(before.atMs);
    if (process.platform === 'linux') expect(after.minorFaults - before.minorFaults).toBeGreaterThan(5000);
  });

  it('the probed echo thread sends the message back and reports one sample pair per message', async () => {
    const worker = startTsWorker(new URL('../src/transfer/probed-echo-worker.ts', import.meta.url));
    try {
      const buffer = new Uint8Array(1 << 20).fill(7).buffer;
      worker.postMessage({ payload: buffer });
      const [echoed] = (await once(worker, 'message')) as [{ payload: ArrayBuffer }];
      expect(Buffer.from(echoed.payload).equals(Buffer.from(buffer))).toBe(true);

      worker.postMessage({ report: true });
      const [report] = (await once(worker, 'message')) as [{ trips: { received: ThreadSample; posted: ThreadSample }[]; gcs: unknown[] }];
      expect(report.trips).toHaveLength(1);
      expect(report.trips[0]!.posted.atMs).toBeGreaterThanOrEqual(report.trips[0]!.received.atMs);
      expect(Array.isArray(report.gcs)).toBe(true);
    } finally {
      await worker.terminate();
    }
  });
});

describe('copy-tail thread CPU', () => {
  const noProc = (): string => { throw new Error('ENOENT'); };

  it('uses process.threadCpuUsage() where Node has it', () => {
    const clock = threadCpuClock(() => ({ user: 1500, system: 500 }), noProc);
    expect(clock.source).toBe('process.threadCpuUsage');
    expect(clock.cpuMs()).toBe(2);
    expect(clock.note).toBe('');
  });

  it('falls back to /proc/thread-self/schedstat (nanoseconds on a CPU) without it, as on Node 20', () => {
    const clock = threadCpuClock(null, (path) => {
      expect(path).toBe('/proc/thread-self/schedstat');
      return '2427716425 216223979 80\n';
    });
    expect(clock.source).toBe('/proc/thread-self/schedstat');
    expect(clock.cpuMs()).toBeCloseTo(2427.716425, 6);
    expect(clock.note).toMatch(/schedstat.*no process\.threadCpuUsage/);
  });

  it('with neither, reads NaN, prints "–" and says why', () => {
    const clock = threadCpuClock(null, noProc);
    expect(clock.source).toBe('none');
    expect(formatCell(clock.cpuMs())).toBe('–');
    expect(clock.note).toMatch(/"–".*no process\.threadCpuUsage/);
    expect([formatCell(123.4), formatCell(-0.06), formatCell(2.25)]).toEqual(['123', '-0.1', '2.3']);
  });

  it.runIf(process.platform === 'linux')('reads a number for this thread\'s CPU on Linux, whatever the Node, and it grows with work', () => {
    const before = sampleThread();
    // Spin until the process has used 30 ms more CPU (CPU time, not wall time: load-proof).
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 30_000) { /* spin on this thread */ }
    const after = sampleThread();
    expect(Number.isFinite(before.cpuMs)).toBe(true);
    expect(after.cpuMs - before.cpuMs).toBeGreaterThan(5);
  });
});
