/**
 * The generator's process: lesson 05's open-loop generator (Poisson arrivals, its raw HTTP client), offering one
 * workload's requests at one rate per run. A process of its own, so the generator never shares
 * an event loop with the scoreboard that drives it; and one process for many runs, so its code
 * is compiled and warm after the first (a fresh process per run was late on its own schedule
 * in its first seconds on a loaded machine).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsxImportArgs } from '@course/shared/bench';
import { runOpenLoop, summarize, type OpenLoopSummary } from 'lesson-05';
import { workloadRequests, type WorkloadId } from './workloads.ts';

export interface LoadRun { url: string; workload: WorkloadId; keys: number; seed: number; rate: number; seconds: number; warmupSeconds: number; timeoutMs: number }

export interface Generator {
  run(load: LoadRun): Promise<OpenLoopSummary>;
  close(): Promise<void>;
}

/** Starts the generator process; runs go to it one at a time over IPC. */
export function startGenerator(): Generator {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: [...tsxImportArgs], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let queue: Promise<unknown> = Promise.resolve();
  const runOne = (load: LoadRun): Promise<OpenLoopSummary> => new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`generator exited (${code}) during a run`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      const m = message as { summary?: OpenLoopSummary; error?: string };
      if (m.summary) resolve(m.summary);
      else reject(new Error(`generator: ${m.error ?? 'no summary'}`));
    });
    child.send(load);
  });
  return {
    run(load) {
      const result = queue.then(() => runOne(load));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const isMain = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isMain && process.send) {
  process.on('message', (load: LoadRun) => {
    const before = process.cpuUsage();
    runOpenLoop({
      url: load.url, rate: load.rate, seconds: load.seconds, warmupSeconds: load.warmupSeconds, timeoutMs: load.timeoutMs,
      // LESSON: Poisson arrivals: users do not take turns, and bursts queue even below capacity.
      arrivals: 'poisson', seed: load.seed,
      // The raw client costs the generator a fraction of http.request's CPU per request, so it
      // stays on schedule at rates the stages reach (lesson 05's raw-http.ts).
      client: 'raw',
      requestFor: workloadRequests(load.workload, load.keys, load.seed),
    }).then(
      (result) => {
        const cpu = process.cpuUsage(before);
        process.send!({ summary: summarize(result, (cpu.user + cpu.system) / 1e6) });
      },
      (error: unknown) => process.send!({ error: (error as Error).message }),
    );
  });
  // The scoreboard went away: so does its generator.
  process.once('disconnect', () => process.exit(0));
}
