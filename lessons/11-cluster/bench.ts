/**
 * One process vs N workers, read-heavy and write-heavy, measured with autocannon and (when
 * installed) wrk, in one run.
 *
 *   node --import tsx bench.ts [--workers N] [--seed-count N] [--short] [--duration S] ...
 *
 * Both servers share one database file under tmp/ (seeded once). "1 process" is
 * src/worker.ts alone; "N workers" is src/server.ts (the primary and N workers); "N reusePort"
 * (Node 22.12+/23.1+) is src/reuse-port-server.ts: N processes on one port with SO_REUSEPORT.
 * Last, how evenly each way spreads 400 fresh connections over its processes.
 */
import { availableParallelism, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import {
  attribute, benchHttp, finishRound, isolate, markRound, parseBenchArgs, pinGenerator, reapedChildrenCpuSeconds, report, runBench, spawnServer, targetRoots, UsageError,
  type BenchOptions, type HttpVariant, type RoundCost, type Target, type VariantResult,
} from '@course/shared/bench';
import { prepareDatabase } from './src/database.ts';
import { wrkScripts } from './src/reload/index.ts';
import { nodeHasReusePort } from './src/reuse-port.ts';
import { runWrk, wrkInstalled, type WrkResult } from './src/wrk.ts';
import { send } from '@course/shared/testing';

const reusePortEntry = fileURLToPath(new URL('./src/reuse-port-server.ts', import.meta.url));
const workerEntry = fileURLToPath(new URL('./src/worker.ts', import.meta.url));
const serverEntry = fileURLToPath(new URL('./src/server.ts', import.meta.url));

function integerFlag(name: string, raw: unknown, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} must be a whole number >= 1, got "${String(raw)}"`);
  return value;
}

/** Ids drawn from the first `hot` items: a working set every worker's cache can hold. */
const randomId = (hot: number): number => 1 + Math.floor(Math.random() * hot);

async function main(): Promise<void> {
  const { options, values } = parseBenchArgs(process.argv.slice(2), {}, { workers: { type: 'string' }, 'seed-count': { type: 'string' } });
  const workers = integerFlag('workers', values.workers, availableParallelism());
  const seedCount = integerFlag('seed-count', values['seed-count'], options.short ? 10_000 : 100_000);
  const hot = Math.min(5_000, seedCount);

  const dir = join(repoRoot, 'tmp', 'lesson-11', 'bench');
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, `bench-${seedCount}.db`);
  prepareDatabase(dbPath, seedCount);
  const env = { DB_PATH: dbPath, SEED_COUNT: '0', WORKERS: String(workers) };

  const one = async (): Promise<Target> => spawnServer(workerEntry, { env });
  const many = async (): Promise<Target> => spawnServer(serverEntry, { env, timeoutMs: 120_000 });
  const read = { requests: [{ method: 'GET' as const, path: '/items/1', setupRequest: (req: any) => ({ ...req, path: `/items/${randomId(hot)}` }) }] };
  const write = {
    requests: [{
      method: 'PATCH' as const, path: '/items/1', headers: { 'content-type': 'application/json' },
      setupRequest: (req: any) => ({ ...req, path: `/items/${randomId(hot)}`, body: JSON.stringify({ priceCents: 100 + Math.floor(Math.random() * 99_900) }) }),
    }],
  };
  // The load generator's own CPU, in cores: on a 2-core machine autocannon takes one of them.
  let cpuMark = process.cpuUsage();
  let timeMark = performance.now();
  const loadgen = {
    beforeRound: async () => { cpuMark = process.cpuUsage(); timeMark = performance.now(); },
    collect: async () => {
      const used = process.cpuUsage(cpuMark);
      return { 'autocannon cores': (used.user + used.system) / 1000 / (performance.now() - timeMark) };
    },
  };
  const reuse = async (): Promise<Target> => spawnServer(reusePortEntry, { env, timeoutMs: 120_000 });
  const withReusePort = nodeHasReusePort();
  const variants: HttpVariant[] = [
    { name: 'read, 1 process', target: one, request: read, ...loadgen },
    { name: `read, ${workers} workers`, target: many, request: read, baseline: 'read, 1 process', ...loadgen },
    // SO_REUSEPORT: N independent processes, the kernel balances (Node 22.12+/23.1+).
    ...(withReusePort ? [{ name: `read, ${workers} reusePort`, target: reuse, request: read, baseline: `read, ${workers} workers`, ...loadgen }] : []),
    { name: 'write, 1 process', target: one, request: write, ...loadgen },
    { name: `write, ${workers} workers`, target: many, request: write, baseline: 'write, 1 process', ...loadgen },
  ];

  console.log(`autocannon (in this Node process), ${options.connections} connections, ${seedCount} items, ids among the first ${hot}`);
  if (!withReusePort) console.log(`Node ${process.version} has no listen({ reusePort }): the reusePort row is left out`);
  await benchHttp({ lesson: 'lesson-11', title: `1 process vs ${workers} workers (autocannon)`, variants, options });
  await balance(env, workers, withReusePort);
  await benchWrk(workers, env, hot, options);
}

/**
 * The same four variants with wrk (C, one thread): far less CPU per request than autocannon.
 * Measured as the autocannon half is: the one-process server pinned apart from the generator
 * (wrk inherits this process's CPUs), the server tree's CPU from /proc and wrk's own CPU per
 * round, ABBA order, and in a full run an A/A row (the first variant again) as the noise floor.
 */
async function benchWrk(workers: number, env: NodeJS.ProcessEnv, hot: number, options: BenchOptions): Promise<void> {
  if (!wrkInstalled()) {
    console.log('wrk not installed: skipping the wrk half (apt-get install wrk)');
    return;
  }
  const loadAverage = loadavg() as [number, number, number];
  const dir = join(repoRoot, 'tmp', 'lesson-11', 'bench');
  const readLua = wrkScripts(dir, hot).get;
  const writeLua = join(dir, 'write.lua');
  writeFileSync(writeLua, [
    'wrk.method = "PATCH"',
    'wrk.headers["Content-Type"] = "application/json"',
    `request = function() return wrk.format(nil, "/items/" .. math.random(1, ${hot}), nil, '{"priceCents":' .. math.random(100, 99999) .. '}') end`,
    '',
  ].join('\n'));

  const servers = {
    one: await spawnServer(workerEntry, { env }),
    many: await spawnServer(serverEntry, { env, timeoutMs: 120_000 }),
    reuse: nodeHasReusePort() ? await spawnServer(reusePortEntry, { env, timeoutMs: 120_000 }) : undefined,
  };
  try {
    type WrkVariant = { name: string; target: Target; script: string; baseline?: string };
    const first: WrkVariant = { name: 'read, 1 process', target: servers.one, script: readLua };
    const variants: WrkVariant[] = [
      first,
      { name: `read, ${workers} workers`, target: servers.many, script: readLua, baseline: 'read, 1 process' },
      ...(servers.reuse ? [{ name: `read, ${workers} reusePort`, target: servers.reuse, script: readLua, baseline: `read, ${workers} workers` }] : []),
      { name: 'write, 1 process', target: servers.one, script: writeLua },
      { name: `write, ${workers} workers`, target: servers.many, script: writeLua, baseline: 'write, 1 process' },
      // A full run's noise floor: the first variant again, same server, same script.
      ...(options.short ? [] : [{ ...first, name: `${first.name} (A/A)`, baseline: first.name }]),
    ];
    const { pinned, line: isolation } = await isolate(variants);
    const wrk = (v: WrkVariant, seconds: number): Promise<WrkResult> => {
      // wrk starts as a child of this process and inherits its CPUs: pinned apart from a pinned server.
      pinGenerator(pinned.has(v.target));
      return runWrk({ url: v.target.url, script: v.script, seconds, connections: options.connections });
    };
    if (options.warmup > 0) for (const v of variants) await wrk(v, options.warmup);
    type WrkRound = WrkResult & { rate: number; cpuPerRequest?: number; cost: RoundCost };
    const runs = new Map<string, WrkRound[]>();
    for (let round = 0; round < options.rounds; round++) {
      for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
        const roots = await targetRoots(v.target);
        const mark = await markRound(roots);
        const childrenBefore = reapedChildrenCpuSeconds();
        const result = await wrk(v, options.duration);
        const cost = await finishRound(mark, roots);
        const childrenAfter = reapedChildrenCpuSeconds();
        // The generator is wrk (a reaped child) plus this process, which only waits for it.
        if (childrenBefore !== undefined && childrenAfter !== undefined) cost.generatorCpuSeconds += childrenAfter - childrenBefore;
        runs.set(v.name, [...(runs.get(v.name) ?? []), {
          ...result, rate: result.requests / result.seconds, cost,
          ...(cost.serverCpuSeconds !== undefined && result.requests > 0 ? { cpuPerRequest: (cost.serverCpuSeconds * 1e6) / result.requests } : {}),
        }]);
      }
    }
    pinGenerator(false);
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const results: VariantResult[] = variants.map((v) => {
      const rs = runs.get(v.name)!;
      return {
        name: v.name, baseline: v.baseline,
        rate: rs.reduce((s, r) => s + r.requests, 0) / rs.reduce((s, r) => s + r.seconds, 0),
        // wrk prints percentiles per run, not its histogram: these are medians over rounds.
        p50Ms: median(rs.map((r) => r.p50Ms)), p99Ms: median(rs.map((r) => r.p99Ms)),
        errors: rs.reduce((s, r) => s + Object.values(r.socketErrors).reduce((a, b) => a + b, 0), 0), non2xx: rs.reduce((s, r) => s + r.non2xx, 0),
        range: { min: Math.min(...rs.map((r) => r.rate)), max: Math.max(...rs.map((r) => r.rate)) },
        attribution: attribute(rs, pinned.has(v.target)),
        extra: {}, rounds: rs,
      };
    });
    console.log(`\nwrk -t1 -c${options.connections} (one C thread), same variants; p50/p99 are medians of wrk's per-round percentiles`);
    report('lesson-11', `1 process vs ${workers} workers (wrk)`, 'req/s', options, results, undefined, { isolation, conditions: { loadAverage, pinned: pinned.size > 0 } });
  } finally {
    pinGenerator(false);
    await Promise.all([servers.one.close(), servers.many.close(), servers.reuse?.close()]);
  }
}

/**
 * How evenly each way spreads *connections*: 400 requests, each on a fresh connection,
 * counted by the worker that answered (X-Worker-Pid).
 */
async function balance(env: NodeJS.ProcessEnv, workers: number, withReusePort: boolean): Promise<void> {
  const entries: Array<[string, string]> = [[`cluster round-robin, ${workers} workers`, serverEntry]];
  if (withReusePort) entries.push([`SO_REUSEPORT, ${workers} processes`, reusePortEntry]);
  console.log('\nconnections per process, 400 fresh connections (X-Worker-Pid):');
  for (const [name, entry] of entries) {
    const server = await spawnServer(entry, { env, timeoutMs: 120_000 });
    try {
      const counts = new Map<number, number>();
      for (let i = 0; i < 400; i++) {
        const { pid } = await send(`${server.url}/items/${1 + (i % 100)}`);
        if (pid !== undefined) counts.set(pid, (counts.get(pid) ?? 0) + 1);
      }
      const shares = [...counts.values()].sort((a, b) => b - a).map((n) => `${Math.round((n / 400) * 100)}%`);
      console.log(`  ${name.padEnd(34)} ${shares.join(' / ')}`);
    } finally {
      await server.close();
    }
  }
}

runBench(main);
