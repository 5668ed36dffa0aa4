/**
 * Load for the bench: wrk when installed (C, one thread: leaves the cores to the stack),
 * else autocannon. Both report requests, req/s, p99 and failed requests.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runAutocannon } from '@course/shared/bench';
import { parseWrk } from '@course/shared/tools';

const run = promisify(execFile);

/** What one load run measured. */
export interface LoadResult {
  tool: 'wrk' | 'autocannon';
  requests: number;
  rps: number;
  p99Ms: number;
  /** Socket errors (connect, read, write, timeout) and non-2xx responses. */
  failed: number;
  detail: string;
}

export type LoadKind = 'read' | 'write';

let wrkPath: string | null | undefined;
async function findWrk(): Promise<string | null> {
  if (wrkPath !== undefined) return wrkPath;
  wrkPath = await run('sh', ['-c', 'command -v wrk']).then(({ stdout }) => stdout.trim() || null, () => null);
  return wrkPath;
}

/** Runs `seconds` of reads (random ids among `hot`) or writes (PATCH a random price). */
export async function load(url: string, kind: LoadKind, seconds: number, connections: number, hot: number, dir: string): Promise<LoadResult> {
  const wrk = await findWrk();
  if (wrk) {
    const script = join(dir, `${kind}.lua`);
    writeFileSync(script, kind === 'read'
      ? `request = function() return wrk.format("GET", "/items/" .. math.random(1, ${hot})) end\n`
      : `wrk.headers["Content-Type"] = "application/json"\nrequest = function() return wrk.format("PATCH", "/items/" .. math.random(1, ${hot}), nil, '{"priceCents":' .. math.random(100, 99999) .. '}') end\n`);
    // wrk takes whole seconds only ("-d0.5s" prints its usage and exits 1): a smoke run's half
    // second becomes one.
    const wholeSeconds = Math.max(1, Math.round(seconds));
    const { stdout } = await run(wrk, ['-t1', `-c${connections}`, `-d${wholeSeconds}s`, '--latency', '-s', script, url], { timeout: (wholeSeconds + 30) * 1000 });
    const report = parseWrk(stdout);
    const socket = report.socketErrors;
    return {
      tool: 'wrk', requests: report.requests,
      rps: report.requestsPerSecond,
      p99Ms: report.latencyMs.p99 ?? NaN,
      failed: report.socketErrorCount + report.non2xx,
      detail: `${report.socketErrorCount > 0 ? `connect ${socket.connect}, read ${socket.read}, write ${socket.write}, timeout ${socket.timeout}` : 'no socket errors'}, non-2xx ${report.non2xx}`,
    };
  }
  const random = (): number => 1 + Math.floor(Math.random() * hot);
  const result = await runAutocannon(url, seconds, connections, {
    requests: [kind === 'read'
      ? { method: 'GET', path: '/items/1', setupRequest: (req: any) => ({ ...req, path: `/items/${random()}` }) }
      : { method: 'PATCH', path: '/items/1', headers: { 'content-type': 'application/json' }, setupRequest: (req: any) => ({ ...req, path: `/items/${random()}`, body: JSON.stringify({ priceCents: 100 + Math.floor(Math.random() * 99_900) }) }) }],
  });
  return {
    tool: 'autocannon',
    requests: result.requests.total,
    rps: result.requests.average,
    p99Ms: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx,
    detail: `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}`,
  };
}
