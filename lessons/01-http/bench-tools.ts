/**
 * The same comparison with the classic native load generators, for readers who trust them
 * more than autocannon (a Node process competing with the server for the same cores):
 *
 * - wrk (C, keep-alive): Express / node:http, alternating rounds;
 * - ab (C, one connection per request unless -k): what keep-alive saves on node:http.
 *
 * Each tool is skipped with one line when it is not installed.
 *   node --import tsx bench-tools.ts [--short] [--connections 100] [--duration 5] [--rounds 3]
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { environmentLine, formatRatio, pairedRatio, parseBenchArgs, runBench, spawnServer, type ServerProcess } from '@course/shared/bench';
import { parseWrk } from '@course/shared/tools';
import { entries } from './src/entries.ts';

const run = promisify(execFile);


/**
 * A ratio of alternating rounds (paired by index) with its 95% interval, or "no difference
 * detected" when the interval includes 1, as the shared harness prints it.
 */
function ratioText(variant: readonly number[], baseline: readonly number[]): string {
  const r = pairedRatio(variant, baseline);
  if (!r) return 'no ratio (no paired rounds)';
  if (!r.ci) return `${formatRatio(r.ratio)} req/s (one pair: no interval)`;
  const ci = `95% CI ${formatRatio(r.ci.low).replace(/x$/, '')}–${formatRatio(r.ci.high).replace(/x$/, '')}`;
  return r.ci.low > 1 || r.ci.high < 1 ? `${formatRatio(r.ratio)} req/s (${ci})` : `no difference detected in req/s (${ci})`;
}

function installed(tool: string): boolean {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// wrk takes whole seconds only (`-d0.5s` makes it print its usage and fail).
const wrkSeconds = (seconds: number): number => Math.max(1, Math.round(seconds));

async function wrk(url: string, seconds: number, connections: number): Promise<number> {
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${wrkSeconds(seconds)}s`, url]);
  return parseWrk(stdout).requestsPerSecond;
}

async function ab(url: string, requests: number, connections: number, keepAlive: boolean): Promise<number> {
  const { stdout } = await run('ab', ['-q', ...(keepAlive ? ['-k'] : []), `-c${connections}`, `-n${requests}`, url]);
  return Number(/Requests per second:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
}

runBench(async () => {
  const { options } = parseBenchArgs(process.argv.slice(2), { connections: 100 });
  console.log(`lesson-01 · wrk and ab · ${environmentLine()}`);
  const servers: ServerProcess[] = [];
  try {
    const http = await spawnServer(entries.http);
    servers.push(http);
    const express = await spawnServer(entries.express);
    servers.push(express);

    if (installed('wrk')) {
      const rates: Record<'node-http' | 'express', number[]> = { 'node-http': [], express: [] };
      const order = [['node-http', http], ['express', express]] as const;
      for (let round = 0; round < options.rounds; round++) {
        for (const [name, server] of round % 2 === 0 ? order : [...order].reverse()) {
          rates[name].push(await wrk(`${server.url}/index`, options.duration, options.connections));
        }
      }
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      const [h, e] = [mean(rates['node-http']), mean(rates.express)];
      console.log(`wrk -t1 -c${options.connections}, ${options.rounds} round(s) × ${wrkSeconds(options.duration)} s: node-http ${h.toFixed(0)} req/s, express ${e.toFixed(0)} req/s`);
      console.log(`express / node-http = ${ratioText(rates.express, rates['node-http'])} (wrk)`);
    } else {
      console.log('wrk: not installed, skipped');
    }

    if (installed('ab')) {
      // One short run of each mode first (the server's JIT and the kernel's socket tables warm),
      // then the two modes alternate so neither is always first: one cold run used to decide it.
      const requests = options.short ? 2000 : 20_000;
      const url = `${http.url}/index`;
      await ab(url, Math.min(2000, requests), options.connections, false);
      await ab(url, Math.min(2000, requests), options.connections, true);
      const rates: Record<'close' | 'keep-alive', number[]> = { close: [], 'keep-alive': [] };
      for (let round = 0; round < options.rounds; round++) {
        const modes = round % 2 === 0 ? (['close', 'keep-alive'] as const) : (['keep-alive', 'close'] as const);
        for (const mode of modes) rates[mode].push(await ab(url, requests, options.connections, mode === 'keep-alive'));
      }
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      const span = (xs: number[]): string => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
      const [c, k] = [rates.close, rates['keep-alive']];
      console.log(`ab -c${options.connections} -n${requests} on node-http, ${options.rounds} alternating round(s) after a warm-up: ${mean(c).toFixed(0)} req/s (${span(c)}) new connection per request, ${mean(k).toFixed(0)} req/s (${span(k)}) with -k`);
      console.log(`keep-alive / new connection = ${ratioText(k, c)} (ab, node-http)`);
    } else {
      console.log('ab: not installed, skipped');
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});
