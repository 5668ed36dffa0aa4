/**
 * wrk (C, one thread, keep-alive connections), run here and parsed by the shared parser: the
 * one place this lesson starts it, for `npm run bench` (req/s and latency) and `bench:reload`
 * (errors by kind).
 */
import { spawn } from 'node:child_process';
import { nonZeroSocketErrors, parseWrk } from '@course/shared/tools';

export { wrkInstalled } from '@course/shared/tools';

/** One wrk run. */
export interface WrkOptions {
  url: string;
  /** A Lua script (the request to send). */
  script: string;
  /** Whole seconds: wrk prints its usage and fails on a fraction. */
  seconds: number;
  connections: number;
  /** wrk's per-request timeout (s; wrk's default is 2). */
  timeoutS?: number;
}

/** What one run counted. Latencies in ms. */
export interface WrkResult {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  /** Socket errors by kind (connect, read, write, timeout), only those above 0. */
  socketErrors: Record<string, number>;
}

/** Runs `wrk -t1 --latency`; resolves with its parsed output, rejects if it fails. */
export function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = ['-t1', `-c${options.connections}`, `-d${Math.max(1, Math.round(options.seconds))}s`, '--latency'];
  if (options.timeoutS !== undefined) args.push('--timeout', `${options.timeoutS}s`);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', [...args, '-s', options.script, options.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${out}`));
      try {
        resolve(toResult(out));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** wrk's report (the shared parser) in this lesson's terms. */
function toResult(out: string): WrkResult {
  const report = parseWrk(out);
  return {
    requests: report.requests,
    seconds: report.seconds,
    p50Ms: report.latencyMs.p50 ?? Number.NaN,
    p99Ms: report.latencyMs.p99 ?? Number.NaN,
    maxMs: report.latencyMs.max,
    non2xx: report.non2xx,
    socketErrors: nonZeroSocketErrors(report),
  };
}
