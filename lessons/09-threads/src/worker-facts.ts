/**
 * Worker-thread facts that differ between Node lines, read from the running Node, and the
 * values measured on each line (2 cores, 23 GiB RAM). test/limits.test.ts asserts that
 * the running Node matches its row.
 */
import { MessageChannel } from 'node:worker_threads';
import { runLimitedThread } from './limits/limited-thread.ts';
import { nativeTypeStripping } from './pool/ts-worker.ts';

/** One Node line's values. */
export interface WorkerFacts {
  /** A `.ts` file is a valid Worker entry (Node strips the types). */
  typeStripping: boolean;
  /** Heap limit of a thread with `resourceLimits: { maxOldGenerationSizeMb: 16 }` (MiB). */
  limitedThreadHeapMiB: number;
  /** How that thread ends when it allocates without bound (the process lives on). */
  outOfMemory: string;
  /** What transferring a pooled Buffer's ArrayBuffer (the shared slab) does. */
  pooledTransfer: 'copied silently' | 'DataCloneError';
}

/** Measured with /work/nodes binaries: 20.20.2, 22.23.5, 24.22.3, 26.12.1. */
export const workerFactsByMajor: Record<number, WorkerFacts> = {
  20: { typeStripping: false, limitedThreadHeapMiB: 64, outOfMemory: 'ERR_WORKER_OUT_OF_MEMORY, exit 1', pooledTransfer: 'copied silently' },
  22: { typeStripping: true, limitedThreadHeapMiB: 64, outOfMemory: 'ERR_WORKER_OUT_OF_MEMORY, exit 1', pooledTransfer: 'DataCloneError' },
  24: { typeStripping: true, limitedThreadHeapMiB: 208, outOfMemory: 'ERR_WORKER_OUT_OF_MEMORY, exit 1', pooledTransfer: 'DataCloneError' },
  26: { typeStripping: true, limitedThreadHeapMiB: 112, outOfMemory: 'ERR_WORKER_OUT_OF_MEMORY, exit 1', pooledTransfer: 'DataCloneError' },
};

/** Reads every fact from this Node (starts one short-lived thread). */
export async function measureWorkerFacts(): Promise<WorkerFacts> {
  const end = await runLimitedThread('allocate', 16);
  return {
    typeStripping: nativeTypeStripping,
    limitedThreadHeapMiB: end.heapLimitMiB,
    outOfMemory: `${end.errorCode}, exit ${end.exitCode}`,
    pooledTransfer: pooledTransfer(),
  };
}

function pooledTransfer(): WorkerFacts['pooledTransfer'] {
  const { port1, port2 } = new MessageChannel();
  try {
    const pooled = Buffer.from('pooled');
    port1.postMessage(pooled, [pooled.buffer]);
    return 'copied silently';
  } catch (error) {
    if ((error as Error).name === 'DataCloneError') return 'DataCloneError';
    throw error;
  } finally {
    port1.close();
    port2.close();
  }
}
