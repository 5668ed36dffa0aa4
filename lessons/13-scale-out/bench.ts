/**
 * Lesson 13's measurements, in one run:
 *   1. req/s, p99 and CPU per request per component for 1, 2, 3 hosts: reads with no cache,
 *      the shared Redis cache and the coherent local caches; writes.
 *   2. stale reads after writes across hosts (target 0).
 *   3. a rolling deploy of every host under 50 keep-alive sockets (target 0 failed).
 *   4. `kill -9` of a host's primary under wrk load, without and with retry-on.
 *
 *   npm run bench [-- --short] [--duration S] [--warmup S] [--connections N]
 *
 * All hosts, engines and the load generator share this machine's cores: adding a host adds
 * processes, not CPUs. The numbers say what each component costs, not how a fleet scales.
 */
import { rmSync } from 'node:fs';
import { requestJson } from '@course/shared/testing';
import { environmentLine, parseBenchArgs, UsageError } from '@course/shared/bench';
import { cpuPerRequest, components, sampleCpu } from './bench-lib/cpu.ts';
import { syncVsAsync } from './bench-lib/sync-vs-async.ts';
import { load, type LoadResult } from './bench-lib/wrk.ts';
import { findEngineBinaries, MissingEnginesError } from './src/engines/binaries.ts';
import type { CacheMode } from './src/host-config.ts';
import { rollingDeploy } from './src/rolling-deploy.ts';
import { isAlive, scratchDir, startStack, type Stack } from './src/stack.ts';
import { failures, startKeepAliveLoad } from './test/keep-alive-load.ts';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

interface Row { workload: string; hosts: number; result: LoadResult; cpu: Record<string, number> }

/** Routes traffic to the first `n` hosts only (the others in maintenance), through the runtime API. */
async function useHosts(stack: Stack, n: number): Promise<void> {
  for (const [i, host] of stack.hosts.entries()) await stack.haproxy.admin.setState(host.name, i < n ? 'ready' : 'maint');
  for (;;) {
    const servers = await stack.haproxy.admin.servers();
    if (servers.slice(0, n).every((s) => s.status === 'UP')) return;
    await pause(50);
  }
}

/** Writes through one host and reads through another, `rounds` times; counts stale reads. */
async function staleReads(stack: Stack, rounds: number): Promise<number> {
  let stale = 0;
  for (let i = 0; i < rounds; i++) {
    const a = stack.hosts[i % stack.hosts.length]!.url;
    const b = stack.hosts[(i + 1) % stack.hosts.length]!.url;
    const id = 1 + (i % 50);
    await requestJson(`${b}/items/${id}`); // b caches the current value
    const price = 1_000 + i;
    await requestJson(`${a}/items/${id}`, { method: 'PATCH', body: { priceCents: price } });
    if ((await requestJson(`${b}/items/${id}`)).body?.priceCents !== price) stale++;
  }
  return stale;
}

/** The stack running now, so Ctrl+C or a SIGTERM stops its engines instead of orphaning them. */
let current: Stack | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the stack`);
    void (current?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const { options } = parseBenchArgs(process.argv.slice(2), { duration: 5, warmup: 1, rounds: 1, connections: 50 });
  const { missing } = findEngineBinaries();
  if (missing.length > 0) {
    const message = new MissingEnginesError(missing).message;
    if (process.env.CI === 'true') throw new Error(`CI=true: lesson 13's bench needs its engines.\n${message}`);
    console.log(`lesson-13 bench skipped: ${message}`);
    return;
  }
  const short = options.short;
  const hostCount = short ? 2 : 3;
  const workersPerHost = short ? 1 : 2;
  const caches: CacheMode[] = short ? ['local'] : ['none', 'shared', 'local'];
  const hostCounts = Array.from({ length: hostCount }, (_, i) => i + 1);
  const seedCount = 10_000;
  const hot = 1_000;
  const dir = scratchDir('bench');
  const quiet = (): void => {};

  console.log(`lesson-13 bench${short ? ' — SMOKE RUN (--short): 1 s per cell, 2 hosts of 1 worker; not a measurement' : ''}`);
  console.log(`${environmentLine()} · ${hostCount} hosts × ${workersPerHost} workers · PostgreSQL, Redis, HAProxy, the hosts and the load generator all on these cores`);
  console.log(`${options.duration} s per cell after ${options.warmup} s warm-up, ${options.connections} connections, reads over ${hot} hot ids of ${seedCount}\n`);

  const rows: Row[] = [];
  const staleByCache: Record<string, number> = {};
  let deployLine = '';
  let syncLines: string[] = [];
  try {
    for (const cache of caches) {
      const stack = current = await startStack({ hosts: hostCount, workersPerHost, cache, seedCount, drainDelayMs: short ? 500 : 1500, log: quiet });
      try {
        if (cache === caches[0]) syncLines = await syncVsAsync(stack.postgres.url, dir, seedCount, short ? 2000 : 20_000);
        const workloads: ('read' | 'write')[] = cache === 'local' ? ['read', 'write'] : ['read'];
        // Every read cell before any write cell: writes invalidate the caches the reads measure.
        for (const kind of workloads) {
          for (const n of hostCounts) {
            await useHosts(stack, n);
            if (options.warmup > 0) await load(stack.url, kind, Math.max(1, Math.round(options.warmup)), options.connections, hot, dir);
            const before = sampleCpu(stack);
            const result = await load(stack.url, kind, options.duration, options.connections, hot, dir);
            const cpu = cpuPerRequest(before, sampleCpu(stack), result.requests);
            rows.push({ workload: kind === 'read' ? `read, cache ${cache}` : `write (PATCH), cache ${cache}`, hosts: n, result, cpu });
            console.log(`  ${rows.at(-1)!.workload}, ${n} host(s): ${fmt(result.rps)} req/s, p99 ${fmt(result.p99Ms, 1)} ms, failed ${result.failed}`);
          }
        }
        await useHosts(stack, hostCount);
        if (cache !== 'none') staleByCache[cache] = await staleReads(stack, short ? 30 : 300);

        if (cache === 'local') {
          // LESSON: the deploy under the client shape that sees a closing socket.
          const keepAlive = startKeepAliveLoad(stack.url, 50, (i) => i % 10 === 0
            ? { path: `/items/${(i % hot) + 1}`, method: 'PATCH', body: { priceCents: 100 + (i % 9000) } }
            : { path: `/items/${(i % hot) + 1}` });
          const started = performance.now();
          await rollingDeploy(stack, quiet);
          const seconds = (performance.now() - started) / 1000;
          const outcomes = await keepAlive.stop();
          const failed = failures(outcomes);
          const kinds = [...new Set(failed.map((f) => f.error ?? `HTTP ${f.status}`))].join(', ');
          deployLine = `rolling deploy of ${hostCount} hosts under 50 keep-alive sockets (GET + 1 PATCH in 10): ${outcomes.length} requests in ${fmt(seconds, 1)} s, `
            + `${failed.length} failed${kinds ? ` (${kinds})` : ''}, ${outcomes.filter((o) => o.reused).length} on reused sockets`;
        }
      } finally {
        await stack.stop();
      }
    }

    // Failover: kill -9 one host's primary in the middle of a wrk run.
    const failover: string[] = [];
    for (const retries of short ? (['on'] as const) : (['off', 'on'] as const)) {
      const stack = current = await startStack({ hosts: hostCount, workersPerHost, cache: 'local', seedCount, retries, log: quiet });
      try {
        const victim = stack.hosts[0]!;
        const workerPids = stack.pids().filter((pid) => pid !== victim.process.pid);
        const seconds = short ? 3 : 8;
        const running = load(stack.url, 'read', seconds, options.connections, hot, dir);
        await pause((seconds * 1000) / 3);
        victim.process.kill('SIGKILL');
        const result = await running;
        const stats = (await stack.haproxy.admin.servers()).find((s) => s.name === victim.name);
        failover.push(`kill -9 of ${victim.host}'s primary under ${result.tool} (${seconds} s, GET), retry-on ${retries === 'on' ? 'on + redispatch' : 'off'}: `
          + `${result.requests} requests, ${result.failed} failed (${result.detail}); haproxy retries ${stats?.errors.retries ?? '?'}, redispatches ${stats?.errors.redispatches ?? '?'}`);
        // The killed primary's workers exit when their IPC channel closes; check, never leak.
        const orphans = workerPids.filter((pid) => !stack.pids().includes(pid) && isAlive(pid));
        for (const pid of orphans) process.kill(pid, 'SIGKILL');
      } finally {
        await stack.stop();
      }
    }

    console.log(`\n| workload | hosts | req/s | p99 ms | failed | CPU µs/req: haproxy | redis | postgres | node |`);
    console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|`);
    for (const row of rows) {
      console.log(`| ${row.workload} | ${row.hosts} | ${fmt(row.result.rps)} | ${fmt(row.result.p99Ms, 1)} | ${row.result.failed} | ${components.map((c) => fmt(row.cpu[c]!)).join(' | ')} |`);
    }
    const find = (workload: string, hosts: number): Row | undefined => rows.find((r) => r.workload === workload && r.hosts === hosts);
    const ratio = (a: Row | undefined, b: Row | undefined, text: string): void => {
      if (a && b) console.log(`${text} = ${(a.result.rps / b.result.rps).toFixed(2)}x req/s (p99 ${fmt(a.result.p99Ms, 1)} ms vs ${fmt(b.result.p99Ms, 1)} ms)`);
    };
    console.log('');
    ratio(find('read, cache local', hostCount), find('read, cache local', 1), `reads, local caches: ${hostCount} hosts / 1 host`);
    ratio(find('read, cache local', hostCount), find('read, cache none', hostCount), `reads at ${hostCount} hosts: local caches / no cache`);
    ratio(find('read, cache shared', hostCount), find('read, cache none', hostCount), `reads at ${hostCount} hosts: shared Redis cache / no cache`);
    ratio(find('read, cache local', hostCount), find('read, cache shared', hostCount), `reads at ${hostCount} hosts: local caches / shared Redis cache`);
    ratio(find('write (PATCH), cache local', hostCount), find('write (PATCH), cache local', 1), `writes: ${hostCount} hosts / 1 host`);
    console.log('');
    for (const line of syncLines) console.log(line);
    console.log('');
    for (const [cache, stale] of Object.entries(staleByCache)) {
      console.log(`stale reads, cache ${cache}: ${stale} of ${short ? 30 : 300} reads through one host right after a write through another`);
    }
    console.log(deployLine);
    for (const line of failover) console.log(line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
