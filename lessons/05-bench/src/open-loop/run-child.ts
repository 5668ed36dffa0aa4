/**
 * Starts the open-loop generator (cli.ts) as a child process and reads its JSON summary.
 * With `cpu`, the child is pinned there with taskset (the server on another CPU).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsxImportArgs } from '@course/shared/bench';
import type { Arrivals, OpenLoopSummary } from './open-loop.ts';

export type { OpenLoopSummary } from './open-loop.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** Runs one open-loop load in its own process. */
export function openLoopInChild(url: string, rate: number, seconds: number, options: { newConnections?: boolean; timeoutMs?: number; cpu?: string; warmupSeconds?: number; arrivals?: Arrivals } = {}): Promise<OpenLoopSummary> {
  const nodeArgs = [...tsxImportArgs, cli, '--json', '--rate', String(rate), '--arrivals', options.arrivals ?? 'poisson', '--duration', String(seconds), '--warmup', String(options.warmupSeconds ?? 1), '--timeout', String(options.timeoutMs ?? 10_000), ...(options.newConnections ? ['--new-connections'] : []), url];
  const [command, args] = options.cpu ? ['taskset', ['-c', options.cpu, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) { reject(new Error(`open-loop generator exited ${code}`)); return; }
      resolve(JSON.parse(out) as OpenLoopSummary);
    });
  });
}
