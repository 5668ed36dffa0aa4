/**
 * The generator's process: lesson 05's open-loop generator with Poisson arrivals, offering one
 * workload's requests at one rate, then one JSON line (lesson 05's summary) on stdout. A process
 * of its own, so the generator never shares an event loop (or a CPU's worth of JIT) with the
 * scoreboard that drives it.
 *
 *   node --import tsx load-child.ts URL WORKLOAD KEYS SEED RATE SECONDS WARMUP TIMEOUT_MS
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsxImportArgs } from '@course/shared/bench';
import { runOpenLoop, summarize, type OpenLoopSummary } from 'lesson-05';
import { isWorkload, workloadRequests, type WorkloadId } from './workloads.ts';

export interface LoadRun { url: string; workload: WorkloadId; keys: number; seed: number; rate: number; seconds: number; warmupSeconds: number; timeoutMs: number }

/** Runs one load in a child process and resolves with its summary. */
export function loadInChild(run: LoadRun): Promise<OpenLoopSummary> {
  const args = [...tsxImportArgs, fileURLToPath(import.meta.url), run.url, run.workload, String(run.keys), String(run.seed), String(run.rate), String(run.seconds), String(run.warmupSeconds), String(run.timeoutMs)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) { reject(new Error(`generator exited ${code}`)); return; }
      resolve(JSON.parse(out) as OpenLoopSummary);
    });
  });
}

const isMain = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isMain) {
  const [url, workload, keys, seed, rate, seconds, warmup, timeout] = process.argv.slice(2);
  if (!url || !workload || !isWorkload(workload)) {
    process.stderr.write(`load-child: bad arguments: ${process.argv.slice(2).join(' ')}\n`);
    process.exit(2);
  }
  const before = process.cpuUsage();
  const result = await runOpenLoop({
    url, rate: Number(rate), seconds: Number(seconds), warmupSeconds: Number(warmup), timeoutMs: Number(timeout),
    // LESSON: Poisson arrivals: users do not take turns; bursts queue even below capacity.
    arrivals: 'poisson', seed: Number(seed),
    requestFor: workloadRequests(workload, Number(keys), Number(seed)),
  });
  const cpu = process.cpuUsage(before);
  process.stdout.write(`${JSON.stringify(summarize(result, (cpu.user + cpu.system) / 1e6))}\n`);
}
