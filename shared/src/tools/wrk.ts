/**
 * wrk's report, parsed once for every lesson that runs wrk (01, 05, 11, 12, 13).
 *
 * wrk (C, keep-alive, `-t1` for one thread) prints a fixed text report; with `--latency` it
 * adds the percentile lines. Latencies come with units (812.00us, 5.12ms, 1.02s, 1.50m).
 */
import { execFileSync } from 'node:child_process';

/** What one wrk run reported. Latencies in ms; a percentile is absent without `--latency`. */
export interface WrkReport {
  /** "N requests in 10.00s". */
  requests: number;
  /** The run's duration, from the same line. */
  seconds: number;
  /** "Requests/sec:". */
  requestsPerSecond: number;
  latencyMs: { mean: number; max: number; p50?: number; p75?: number; p90?: number; p99?: number };
  /** "Socket errors: connect C, read R, write W, timeout T" (all 0 when wrk printed no such line). */
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  /** The four socket error counts added up. */
  socketErrorCount: number;
  /** "Non-2xx or 3xx responses: N" (0 when absent). */
  non2xx: number;
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** A wrk latency (`812.00us`, `5.12ms`, `1.02s`, `1.50m`) in ms. */
export function wrkMs(value: string, unit: string): number {
  // Divided, not multiplied by 0.001: 691 / 1000 is the double nearest 0.691, 691 * 0.001 is not.
  if (unit === 'us') return Number(value) / 1000;
  const scale = units[unit];
  if (scale === undefined) throw new Error(`unknown wrk time unit "${unit}"`);
  return Number(value) * scale;
}

/**
 * Parses wrk's report (with or without `--latency`, with or without a Lua script's extra lines).
 * @throws Error quoting the text when it has no "N requests in" line (wrk printed its usage, or failed)
 */
export function parseWrk(text: string): WrkReport {
  const total = /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)\b/m.exec(text);
  if (!total) throw new Error(`cannot parse wrk output:\n${text}`);
  const latency = /^\s*Latency\s+([\d.]+)(us|ms|s|m)\s+\S+\s+([\d.]+)(us|ms|s|m)/m.exec(text);
  const percentile = (p: number): number | undefined => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
    return m ? wrkMs(m[1]!, m[2]!) : undefined;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = {
    connect: Number(socket?.[1] ?? 0), read: Number(socket?.[2] ?? 0), write: Number(socket?.[3] ?? 0), timeout: Number(socket?.[4] ?? 0),
  };
  const latencyMs: WrkReport['latencyMs'] = {
    mean: latency ? wrkMs(latency[1]!, latency[2]!) : Number.NaN,
    max: latency ? wrkMs(latency[3]!, latency[4]!) : Number.NaN,
  };
  for (const p of [50, 75, 90, 99] as const) {
    const value = percentile(p);
    if (value !== undefined) latencyMs[`p${p}`] = value;
  }
  return {
    requests: Number(total[1]),
    seconds: wrkMs(total[2]!, total[3]!) / 1000,
    requestsPerSecond: Number(/^Requests\/sec:\s+([\d.]+)/m.exec(text)?.[1] ?? Number.NaN),
    latencyMs,
    socketErrors,
    socketErrorCount: socketErrors.connect + socketErrors.read + socketErrors.write + socketErrors.timeout,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0),
  };
}

/** The socket error kinds above 0, e.g. `{ read: 3, timeout: 2 }`. */
export function nonZeroSocketErrors(report: Pick<WrkReport, 'socketErrors'>): Record<string, number> {
  return Object.fromEntries(Object.entries(report.socketErrors).filter(([, n]) => n > 0));
}

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
