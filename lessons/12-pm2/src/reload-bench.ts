/**
 * The reload-under-load measurement: wrk (when installed) and a Node keep-alive client, GET
 * and POST, a reload in the middle of each run, N runs. Per run it prints requests, socket
 * errors by kind, non-2xx answers, how long the reload took, and the slowest request.
 *
 * The supervisor is a parameter (`ReloadTarget`): lesson 12 passes pm2, the same runner can
 * drive any server that can be reloaded by a function call.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failures, newItemBody, parseWrk as parseWrkReport, startKeepAliveLoad, nonZeroSocketErrors, type KeepAliveLoadResult } from '@course/shared/tools';

/** A running service that can be reloaded. */
export interface ReloadTarget {
  url: string;
  /** Replaces every worker; resolves when the supervisor says the reload is done. */
  reload(): Promise<void>;
}

export type ReloadClient = 'wrk' | 'node';
export type ReloadMethod = 'GET' | 'POST';

/** One run's outcome. */
export interface ReloadRun {
  run: number;
  client: ReloadClient;
  method: ReloadMethod;
  requests: number;
  /** By kind: wrk's connect/read/write/timeout, or the Node client's error codes. */
  errors: Record<string, number>;
  non2xx: number;
  reloadSeconds: number;
  maxLatencyMs: number;
}

export interface ReloadBenchSpec {
  target: ReloadTarget;
  runs: number;
  /** Load before the reload starts, s. */
  leadSeconds: number;
  /** Load after the reload finished, s. */
  tailSeconds: number;
  connections: number;
  /** GET path for a run (e.g. a random item). */
  getPath: () => string;
  log?: (line: string) => void;
}

/** Whether `wrk` is on PATH. */
export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function timedReload(target: ReloadTarget): Promise<number> {
  const started = performance.now();
  await target.reload();
  return (performance.now() - started) / 1000;
}

/** wrk's summary (the shared parser): requests, socket errors, non-2xx, max latency. */
export function parseWrk(output: string): { requests: number; errors: Record<string, number>; non2xx: number; maxLatencyMs: number } {
  const report = parseWrkReport(output);
  return { requests: report.requests, errors: nonZeroSocketErrors(report), non2xx: report.non2xx, maxLatencyMs: report.latencyMs.max };
}

async function wrkRun(spec: ReloadBenchSpec, method: ReloadMethod, dir: string, tag: string): Promise<Omit<ReloadRun, 'run' | 'client' | 'method'>> {
  const script = join(dir, `${tag}.lua`);
  // A unique sku per POST, or the second one would be a 409 (counted as non-2xx).
  writeFileSync(script, method === 'GET'
    ? `request = function() return wrk.format("GET", "${spec.getPath()}") end\n`
    : `local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format("POST", "/items", { ["Content-Type"] = "application/json" }, '{"sku":"${tag}-' .. n .. '","name":"reload bench item","category":"bench","priceCents":100}')\nend\n`);
  // wrk runs "forever" and is stopped with SIGINT once the reload returned and the tail passed:
  // it prints the same summary then, and the run covers the whole reload however long it takes.
  const wrk = spawn('wrk', ['-t1', `-c${spec.connections}`, '-d600s', '--latency', '-s', script, spec.target.url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  wrk.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>((resolve) => wrk.on('close', () => resolve()));
  try {
    await sleep(spec.leadSeconds * 1000);
    const reloadSeconds = await timedReload(spec.target);
    await sleep(spec.tailSeconds * 1000);
    wrk.kill('SIGINT');
    await exited;
    return { ...parseWrk(output), reloadSeconds };
  } finally {
    if (wrk.exitCode === null && wrk.signalCode === null) wrk.kill('SIGKILL');
  }
}

async function nodeRun(spec: ReloadBenchSpec, method: ReloadMethod, tag: string): Promise<Omit<ReloadRun, 'run' | 'client' | 'method'>> {
  const load = startKeepAliveLoad(spec.target.url, {
    sockets: spec.connections,
    next: (seq) => (method === 'GET' ? { method, path: spec.getPath() } : { method, path: '/items', body: newItemBody(tag, seq) }),
  });
  await sleep(spec.leadSeconds * 1000);
  const reloadSeconds = await timedReload(spec.target);
  await sleep(spec.tailSeconds * 1000);
  const result: KeepAliveLoadResult = await load.stop();
  return {
    requests: result.requests,
    errors: result.errors,
    non2xx: Object.values(result.non2xx).reduce((a, b) => a + b, 0),
    reloadSeconds,
    maxLatencyMs: result.maxLatencyMs,
  };
}

/** Runs every client × method, `runs` times, reloading once per run. */
export async function runReloadBench(spec: ReloadBenchSpec): Promise<ReloadRun[]> {
  const log = spec.log ?? console.log;
  const clients: ReloadClient[] = hasWrk() ? ['wrk', 'node'] : ['node'];
  if (!clients.includes('wrk')) log('wrk is not installed: Node keep-alive client only (apt-get install wrk / brew install wrk)');
  const dir = mkdtempSync(join(tmpdir(), 'reload-bench-'));
  const runs: ReloadRun[] = [];
  log(header());
  try {
    for (let run = 1; run <= spec.runs; run++) {
      for (const client of clients) {
        for (const method of ['GET', 'POST'] as const) {
          const tag = `reload-${process.pid}-${run}-${client}-${method}`;
          const outcome = client === 'wrk' ? await wrkRun(spec, method, dir, tag) : await nodeRun(spec, method, tag);
          const row: ReloadRun = { run, client, method, ...outcome };
          runs.push(row);
          log(formatRun(row));
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = runs.reduce((sum, r) => sum + Object.values(r.errors).reduce((a, b) => a + b, 0) + r.non2xx, 0);
  log(`${runs.length} runs, ${runs.reduce((s, r) => s + r.requests, 0).toLocaleString('en-US')} requests, ${failed} failed (socket errors + non-2xx); reload ${range(runs.map((r) => r.reloadSeconds), 1)} s; max latency ${range(runs.map((r) => r.maxLatencyMs), 0)} ms`);
  return runs;
}

function range(values: number[], digits: number): string {
  const lo = Math.min(...values).toFixed(digits);
  const hi = Math.max(...values).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
}

function header(): string {
  return `${'run'.padEnd(4)}${'client'.padEnd(7)}${'method'.padEnd(7)}${'requests'.padStart(9)}  ${'socket errors'.padEnd(22)}${'non-2xx'.padStart(7)}${'reload s'.padStart(9)}${'max ms'.padStart(8)}`;
}

/** One table row. */
export function formatRun(r: ReloadRun): string {
  const errors = Object.entries(r.errors).map(([kind, n]) => `${kind} ${n}`).join(', ') || '0';
  return `${String(r.run).padEnd(4)}${r.client.padEnd(7)}${r.method.padEnd(7)}${r.requests.toLocaleString('en-US').padStart(9)}  ${errors.padEnd(22)}${String(r.non2xx).padStart(7)}${r.reloadSeconds.toFixed(1).padStart(9)}${Math.round(r.maxLatencyMs).toLocaleString('en-US').padStart(8)}`;
}

export { failures };
