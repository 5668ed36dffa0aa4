/**
 * The packaged generators this lesson compares with: wrk (closed loop, C) and httperf (open
 * loop: `--rate` opens connections on a fixed schedule whatever the server does). Each is
 * optional: when its binary is missing the bench says so and skips it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { parseWrk as parseWrkReport } from '@course/shared/tools';

/** True when `binary` is on PATH. */
export function installed(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a tool to the end; with `cpu`, pinned there by taskset. */
function run(command: string, args: string[], cpu?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = cpu ? spawn('taskset', ['-c', cpu, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c; });
    child.stderr.on('data', (c: Buffer) => { err += c; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err.trim().split('\n').pop()}`))));
  });
}

/** What a packaged tool reported, in ms; undefined where the tool does not report it. */
export interface ToolLatency {
  rate: number;
  requests: number;
  p50?: number;
  p99?: number;
  p999?: number;
  max?: number;
  mean?: number;
  errors: number;
}

/** wrk's `--latency` report (the shared parser), as this comparison's row. */
export function parseWrk(text: string): ToolLatency {
  const report = parseWrkReport(text);
  return {
    rate: report.requestsPerSecond, requests: report.requests,
    p50: report.latencyMs.p50, p99: report.latencyMs.p99, max: report.latencyMs.max,
    errors: report.socketErrorCount,
  };
}

/** `wrk -t1 -cN -dS --latency url` (closed loop). */
export async function runWrk(url: string, seconds: number, connections: number, cpu?: string): Promise<ToolLatency> {
  return parseWrk(await run('wrk', ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--latency', url], cpu));
}

/**
 * Parses httperf's summary. httperf reports no percentiles: min, mean, max and a median of
 * connection time (one request per connection here, so connection time = that request's
 * latency, connect included), from when it opened the connection on schedule.
 */
export function parseHttperf(text: string): ToolLatency {
  const conn = /^Connection time \[ms\]: min ([\d.]+) avg ([\d.]+) max ([\d.]+) median ([\d.]+) stddev ([\d.]+)/m.exec(text);
  const total = /^Total: connections (\d+) requests (\d+) replies (\d+) test-duration ([\d.]+) s/m.exec(text);
  const errors = /^Errors: total (\d+)/m.exec(text);
  return {
    rate: total ? Number(total[3]) / Number(total[4]) : Number.NaN,
    requests: total ? Number(total[3]) : Number.NaN,
    mean: conn ? Number(conn[2]) : undefined,
    p50: conn ? Number(conn[4]) : undefined,
    max: conn ? Number(conn[3]) : undefined,
    errors: errors ? Number(errors[1]) : 0,
  };
}

/** `httperf --rate R --num-conns R×S --num-calls 1`: open loop, a new connection per request. */
export async function runHttperf(url: string, rate: number, seconds: number, cpu?: string, timeoutSeconds = 5): Promise<ToolLatency> {
  const u = new URL(url);
  return parseHttperf(await run('httperf', [
    '--server', u.hostname, '--port', u.port, '--uri', `${u.pathname}${u.search}`,
    '--rate', String(rate), '--num-conns', String(Math.round(rate * seconds)), '--num-calls', '1',
    '--timeout', String(timeoutSeconds), '--hog',
  ], cpu));
}
