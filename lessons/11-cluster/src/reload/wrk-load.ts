/**
 * The same load with wrk (C, one thread, keep-alive connections), parsed into the same counts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadStats } from './keep-alive-load.ts';

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

/** Writes the Lua scripts for GET `/items/:id` and POST `/items` (unique skus) into `dir`. */
export function wrkScripts(dir: string, hot: number): { get: string; post: string } {
  mkdirSync(dir, { recursive: true });
  const get = join(dir, 'reload-get.lua');
  const post = join(dir, 'reload-post.lua');
  writeFileSync(get, `request = function() return wrk.format("GET", "/items/" .. math.random(1, ${hot})) end\n`);
  writeFileSync(post, [
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    'local n = 0',
    // wrk's math.random is unseeded (the same "random" id every run): the clock differs per run.
    'local run = os.time()',
    'request = function()',
    '  n = n + 1',
    `  return wrk.format(nil, "/items", nil, '{"sku":"WRK-' .. run .. '-' .. n .. '","name":"wrk item","category":"load","priceCents":' .. (100 + n % 1000) .. '}')`,
    'end',
    '',
  ].join('\n'));
  return { get, post };
}

/** Runs wrk for `seconds` with `connections` connections; resolves with its counts. */
export function runWrk(url: string, script: string, seconds: number, connections: number): Promise<LoadStats> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${out}`));
      const toMs = (value: string, unit: string): number => Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[unit]!;
      const total = out.match(/(\d+) requests in/);
      const latency = out.match(/Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)/);
      const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
      const non2xx = out.match(/Non-2xx or 3xx responses: (\d+)/);
      if (!total) return reject(new Error(`cannot parse wrk output:\n${out}`));
      const errors: Record<string, number> = {};
      if (socket) {
        for (const [i, kind] of ['connect', 'read', 'write', 'timeout'].entries()) {
          const n = Number(socket[i + 1]);
          if (n > 0) errors[kind] = n;
        }
      }
      resolve({
        requests: Number(total[1]),
        non2xx: non2xx ? Number(non2xx[1]) : 0,
        errors,
        errorCount: Object.values(errors).reduce((a, b) => a + b, 0),
        maxLatencyMs: latency ? Math.round(toMs(latency[1]!, latency[2]!)) : Number.NaN,
      });
    });
  });
}
