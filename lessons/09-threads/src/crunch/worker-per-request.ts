/**
 * A new Worker for every request: the loop stays free, but each request pays for starting
 * a thread (a V8 isolate, the module graph, here tsx too) and there is no bound on threads.
 */
import { Worker } from 'node:worker_threads';
import { TaskAbortedError, WorkerExitedError } from '../pool/errors.ts';
import { tsWorkerArgs } from '../pool/ts-worker.ts';
import type { TaskRequest, WorkerMessage } from '../pool/protocol.ts';
import type { CrunchInput, CrunchResult } from './crunch.ts';
import { crunchTaskModule, type Cruncher } from './cruncher.ts';

const poolWorker = new URL('../pool/pool-worker.ts', import.meta.url);

/** Runs each crunch in a thread of its own, terminated afterwards. */
export function createWorkerPerRequestCruncher(taskModule: URL = crunchTaskModule): Cruncher {
  const live = new Set<Worker>();
  let started = 0;
  return {
    name: 'worker-per-request',
    run: (input: CrunchInput, signal?: AbortSignal) => new Promise<CrunchResult>((resolve, reject) => {
      if (signal?.aborted) { reject(new TaskAbortedError(signal.reason)); return; }
      // LESSON: thread start-up is paid on every request (see bench.ts, "spawn cost").
      const worker = new Worker(...tsWorkerArgs(poolWorker, { taskModule: taskModule.href }));
      live.add(worker);
      started++;
      let settled = false;
      const finish = (error?: Error, result?: CrunchResult): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        void worker.terminate();
        if (error) reject(error); else resolve(result!);
      };
      const onAbort = (): void => finish(new TaskAbortedError(signal?.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
      let crash: unknown;
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'error') finish(m.error instanceof Error ? m.error : new Error(String(m.error)));
        else if (m.type === 'result') finish(undefined, m.result as CrunchResult);
      });
      worker.on('error', (error) => { crash = error; });
      worker.on('exit', (code) => {
        live.delete(worker);
        finish(new WorkerExitedError(code, crash));
      });
      worker.postMessage({ type: 'task', id: 1, payload: input } satisfies TaskRequest);
    }),
    stats: () => ({ threads: live.size, started }),
    close: async () => { await Promise.all([...live].map((w) => w.terminate())); },
  };
}
