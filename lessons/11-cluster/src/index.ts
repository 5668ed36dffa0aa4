/**
 * Lesson 11's public pieces: the primary, the worker's app and store, the backoff.
 * Lesson 12 runs `src/worker.ts` under pm2 and uses {@link prepareDatabase} before starting it.
 */
import { fileURLToPath } from 'node:url';

export { createPrimary, type Primary, type PrimaryOptions, type WorkerInfo, type WorkerExit, type RestartScheduled } from './primary.ts';
export type { StartTimings } from './messages.ts';
export { createWorkerApp, type WorkerAppOptions } from './app.ts';
export { createCoherentStore, type CoherentStore } from './coherent-store.ts';
export { createIpcInvalidationChannel, type InvalidationChannel, type IpcPort, type ChannelStats } from './invalidation-channel.ts';
export { createInvalidationRelay, type InvalidationRelay, type RelayPeer } from './invalidation-relay.ts';
export { withBusyAs503, type BusyGuardedStore, type BusyOptions, type BusyStats } from './busy-as-503.ts';
export { restartDelay, nextCrashCount, defaultBackoff, type BackoffOptions } from './backoff.ts';
export { loadClusterConfig, type ClusterConfig, type InvalidationMode } from './cluster-config.ts';
export { prepareDatabase } from './database.ts';
export { workerExecArgv, nodeStripsTypes } from './worker-exec-argv.ts';
export { nodeHasReusePort, reusePortWorks } from './reuse-port.ts';

/** Absolute path of the worker entry (for pm2's `script`, or a primary's `exec`). */
export const workerEntry: string = fileURLToPath(new URL('./worker.ts', import.meta.url));
