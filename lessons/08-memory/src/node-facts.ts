/**
 * Memory facts that differ between Node lines, read from the running Node, and the values
 * measured on each line (2 cores, 23 GiB RAM). test/node-facts.test.ts asserts that the
 * running Node matches its row where the fact is the Node line's alone (pool, slab, Maglev),
 * so a new Node that changes one says so at once; the default young generation also depends
 * on the machine's memory, so the test checks how V8 sizes it, not the row's number. What
 * transferring a pooled Buffer to a thread does is lesson 09's fact (src/worker-facts.ts).
 */
import { execFileSync } from 'node:child_process';

/** One Node line's values. */
export interface MemoryFacts {
  /** `Buffer.poolSize`. */
  poolSize: number;
  /** Bytes of the ArrayBuffer behind a pooled `allocUnsafe(16)`: the slab. */
  slabBytes: number;
  /**
   * Young generation reserved by V8 (MiB): `heap_size_limit` of a process started with
   * `--max-old-space-size=64`, minus 64. V8 reserves 3 semi-spaces (two for the scavenger,
   * one for new large objects), so the largest semi-space is a third of it. The default
   * semi-space depends on the machine's memory on newer V8s: the rows are a 23 GiB machine's.
   */
  youngGenerationMiB: number;
  /** Maglev, V8's mid-tier optimizing compiler, on by default. */
  maglev: boolean;
}

/** Measured with /work/nodes binaries: 20.20.2, 22.23.5, 24.22.3, 26.12.1. */
export const factsByMajor: Record<number, MemoryFacts> = {
  20: { poolSize: 8192, slabBytes: 8192, youngGenerationMiB: 48, maglev: false },
  22: { poolSize: 8192, slabBytes: 8192, youngGenerationMiB: 48, maglev: false },
  24: { poolSize: 65536, slabBytes: 65536, youngGenerationMiB: 192, maglev: true },
  // Node 26 over-allocates the slab by 64 bytes so the pool can start on a 64-byte boundary.
  26: { poolSize: 65536, slabBytes: 65600, youngGenerationMiB: 96, maglev: true },
};

/**
 * The young generation V8 reserves (MiB) in a child of the running Node started with
 * `--max-old-space-size=64` and these extra flags (e.g. `--max-semi-space-size=8`).
 */
export function measureYoungGenerationMiB(flags: readonly string[] = []): number {
  const limit = Number(execFileSync(process.execPath, ['--max-old-space-size=64', ...flags, '-p', 'require("v8").getHeapStatistics().heap_size_limit'], { encoding: 'utf8' }));
  return limit / 2 ** 20 - 64;
}

/** Reads every fact from the Node running this code (two short child processes). */
export function measureMemoryFacts(): MemoryFacts {
  const node = process.execPath;
  const v8Options = execFileSync(node, ['--v8-options'], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  const maglevDefault = /^\s+--maglev \(.*\)\n\s+type: bool\s+default: (--\S+)/m.exec(v8Options)?.[1];
  return {
    poolSize: Buffer.poolSize,
    slabBytes: Buffer.allocUnsafe(16).buffer.byteLength,
    youngGenerationMiB: measureYoungGenerationMiB(),
    maglev: maglevDefault === '--maglev',
  };
}
