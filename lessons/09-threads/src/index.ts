/**
 * What other lessons may import from lesson 09 (lesson 10 compares child-process IPC with
 * postMessage and reuses the crunch task, its validation and its error mapping).
 */
export { crunch, boxBlur, inputError, inputErrorField, type CrunchInput, type CrunchResult } from './crunch/crunch.ts';
export { parseCrunchInput, crunchLimits } from './crunch/crunch-input.ts';
export { crunchTaskModule, cruncherNames, type Cruncher, type CruncherName, type PoolOptions } from './crunch/cruncher.ts';
export { createCruncher } from './crunch/create-cruncher.ts';
export { toApiError } from './crunch/to-api-error.ts';
export { createThreadsApp, type ThreadsAppOptions } from './app.ts';
export { WorkerPool, startPoolThread, type WorkerPoolOptions, type RunOptions, type PoolStats } from './pool/worker-pool.ts';
export { TaskPool, type PoolWorker, type PoolWorkerEvents, type StartWorker, type TaskPoolOptions, type TaskPoolStats } from './pool/task-pool.ts';
export type { TaskRequest, WorkerMessage } from './pool/protocol.ts';
export { QueueFullError, TaskAbortedError, WorkerExitedError, PoolClosedError, PoolStartError } from './pool/errors.ts';
export { tsExecArgv } from './pool/exec-argv.ts';
export { startTsWorker, tsWorkerArgs } from './pool/ts-worker.ts';
export { startEchoThread, type EchoThread } from './transfer/echo-thread.ts';
export { countWithThreads, type CountResult } from './shared-memory/shared-counter.ts';
export { runLimitedThread, type ThreadEnd } from './limits/limited-thread.ts';
export { defaultPoolSize, cpuCounts, cgroupCpuQuota, parseCpuMax } from './pool/pool-size.ts';
export { nativeTypeStripping } from './pool/ts-worker.ts';
export { gcCounter } from './gc-counter.ts';
