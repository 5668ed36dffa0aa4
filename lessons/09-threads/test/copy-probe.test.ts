import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startTsWorker } from '../src/pool/ts-worker.ts';
import { sampleThread, type ThreadSample } from '../src/transfer/thread-sample.ts';

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
