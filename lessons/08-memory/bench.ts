/**
 * Lesson 08: an object pool on two hot allocation paths, measured against plain allocation.
 *
 *   pnpm --filter lesson-08 bench            # full run
 *   pnpm --filter lesson-08 bench --short    # about a second per variant (CI)
 *
 * Each op needs scratch memory: a 64 KiB buffer (a file chunk, a frame to encode), or 1 000
 * small {x, y, z} objects. The GC columns count collections per round in this process.
 */
import { PerformanceObserver, type PerformanceNodeEntry, constants } from 'node:perf_hooks';
import { benchOps, runBench, parseBenchArgs } from '@course/shared/bench';
import { createObjectPool } from './src/object-pool.ts';

/** GC events and their total time since the last read. */
function gcCounter(): { read: () => Record<string, number>; stop: () => void } {
  let scavenges = 0;
  let majors = 0;
  let ms = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceNodeEntry[]) {
      const kind = (entry.detail as { kind: number }).kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
      ms += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    read: () => {
      const r = { scavenges, 'major GCs': majors, 'GC ms': ms };
      scavenges = 0; majors = 0; ms = 0;
      return r;
    },
    stop: () => observer.disconnect(),
  };
}

const source = Buffer.alloc(64 * 1024, 0x5a);

/** The work done with a scratch buffer: copy a chunk in, checksum a stride of it. */
function useScratch(scratch: Buffer): number {
  source.copy(scratch);
  let sum = 0;
  for (let i = 0; i < scratch.length; i += 64) sum += scratch[i]!;
  return sum;
}

interface Vec { x: number; y: number; z: number }

/** The work done with small objects: 1 000 vectors, summed. */
function useVectors(make: (i: number) => Vec, done: (v: Vec) => void): number {
  const vs: Vec[] = [];
  for (let i = 0; i < 1000; i++) vs.push(make(i));
  let sum = 0;
  for (const v of vs) { sum += v.x + v.y + v.z; done(v); }
  return sum;
}

runBench(async () => {
  const { options } = parseBenchArgs(process.argv.slice(2));
  const gc = gcCounter();
  // GC entries reach the observer a few loop turns after the collection; wait for them so
  // each round's numbers are its own (warm-up rounds read and reset them too).
  const settle = () => new Promise((r) => setTimeout(r, 100));
  const collect = async () => { await settle(); return gc.read(); };
  try {
    const buffers = createObjectPool({ create: () => Buffer.allocUnsafe(64 * 1024), reset: () => undefined, max: 16 });
    await benchOps({
      lesson: 'lesson-08', title: '64 KiB scratch buffer per op: allocate vs pool', unit: 'ops/s', options,
      variants: [
        { name: 'Buffer.alloc', run: () => useScratch(Buffer.alloc(64 * 1024)), collect },
        { name: 'allocUnsafe', run: () => useScratch(Buffer.allocUnsafe(64 * 1024)), collect },
        {
          name: 'pooled', collect, baseline: 'Buffer.alloc',
          run: () => {
            const b = buffers.acquire();
            try { return useScratch(b); } finally { buffers.release(b); }
          },
        },
      ],
    });

    const vectors = createObjectPool<Vec>({ create: () => ({ x: 0, y: 0, z: 0 }), reset: () => undefined, max: 2000 });
    await benchOps({
      lesson: 'lesson-08', title: '1 000 small objects per op: allocate vs pool', unit: 'ops/s', options,
      variants: [
        { name: 'new objects', run: () => useVectors((i) => ({ x: i, y: i * 2, z: i * 3 }), () => undefined), collect },
        {
          name: 'pooled', collect,
          run: () => useVectors((i) => {
            const v = vectors.acquire();
            v.x = i; v.y = i * 2; v.z = i * 3;
            return v;
          }, (v) => vectors.release(v)),
        },
      ],
    });
  } finally {
    gc.stop();
  }
});
