/**
 * wrk (C, one thread, keep-alive connections), run and parsed: the one place this lesson
 * starts it, for `npm run bench` (req/s and latency) and `bench:reload` (errors by kind).
 */
import { execFileSync, spawn } from 'node:child_process';

/** True when `wrk` is on PATH (`apt-get install wrk`). */
export function wrkInstalled(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version; only ENOENT means "not installed".
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

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
        resolve(parseWrkOutput(out));
      } catch (error) {
        reject(error);
      }
    });
  });
}

const toMs = (value: string, unit: string): number => Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[unit]!;

/** Parses wrk's `--latency` report; throws when it has no request count. */
export function parseWrkOutput(out: string): WrkResult {
  const percentile = (pct: string): number => {
    const m = out.match(new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm'));
    return m ? toMs(m[1]!, m[2]!) : Number.NaN;
  };
  const total = out.match(/(\d+) requests in ([\d.]+)(ms|s|m)/);
  if (!total) throw new Error(`cannot parse wrk output:\n${out}`);
  const latency = out.match(/Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)/);
  const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const non2xx = out.match(/Non-2xx or 3xx responses: (\d+)/);
  const socketErrors: Record<string, number> = {};
  for (const [i, kind] of ['connect', 'read', 'write', 'timeout'].entries()) {
    const n = Number(socket?.[i + 1] ?? 0);
    if (n > 0) socketErrors[kind] = n;
  }
  return {
    requests: Number(total[1]),
    seconds: toMs(total[2]!, total[3]!) / 1000,
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    maxMs: latency ? toMs(latency[1]!, latency[2]!) : Number.NaN,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors,
  };
}
