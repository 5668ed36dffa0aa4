/**
 * What other lessons may import from lesson 08. Lesson 12 mounts `createLeakyRouter()` to
 * show pm2's `max_memory_restart`.
 */
export { createLeakyRouter, leakPath } from './leaky-router.ts';
export { createFixedRouter } from './fixed-router.ts';
export { RequestTrace, samplesPerTrace } from './request-trace.ts';
export { compareSnapshots, formatGrowth, leakSuspects, readHeapSnapshot, summarize, type CompareOptions, type ConstructorStats, type Growth, type HeapSnapshotJson } from './heap-snapshot.ts';
export { createMemoryApp, type MemoryAppOptions } from './app.ts';
export { createObjectPool, type ObjectPool, type ObjectPoolOptions } from './object-pool.ts';
export { keepPiece, largestPooledSize, placement, sameSlab, type Placement } from './buffer-pool.ts';
