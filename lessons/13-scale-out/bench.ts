/**
 * Lesson 13's measurements, in one run, on the course's bench harness:
 *   1. reads through HAProxy, 3 hosts × 2 workers: no cache, the shared Redis cache, the
 *      per-worker caches kept coherent through Redis; both caches on 1 host as well. Harness
 *      columns (req/s, spread, p99, CPU µs/req of every process of the stack, generator CPU,
 *      the Node processes' ELU and GC), the cache hit ratio, and CPU per request split by
 *      program (HAProxy, Redis, PostgreSQL, Node).
 *   2. writes (PATCH) with the per-worker caches, 1 host vs 3 hosts.
 *   3. stale reads after writes across hosts (target 0).
 *   4. a rolling deploy of every host under 50 keep-alive sockets (target 0 failed).
 *   5. `kill -9` of a host's primary under load, without and with retry-on.
 *
 *   npm run bench [-- --short] [--duration S] [--warmup S] [--rounds N] [--connections N] [--profile] [--save-reference]
 *
 * All hosts, engines and the load generator share this machine's cores: adding a host adds
 * processes, not CPUs. The numbers say what each component costs, not how a fleet scales.
 */
import { rmSync } from 'node:fs';
import { requestJson } from '@course/shared/testing';
import { benchHttp, fmt, parseBenchArgs, probeEnv, runBench, table, type BenchReport, type HttpVariant, type RequestSpec, type Target } from '@course/shared/bench';
import { cacheCounters, hitPercent, type CacheCounters } from './bench-lib/cache-counters.ts';
import { components, cpuBetween, sampleCpu, stackRoots, type ComponentSeconds, type CpuSample } from './bench-lib/cpu.ts';
import { syncVsAsync } from './bench-lib/sync-vs-async.ts';
import { load } from './bench-lib/wrk.ts';
import { findEngineBinaries, MissingEnginesError } from './src/engines/binaries.ts';
import type { CacheMode } from './src/host-config.ts';
import { rollingDeploy } from './src/rolling-deploy.ts';
import { isAlive, scratchDir, startStack, type Stack } from './src/stack.ts';
import { failedOutcomes, startKeepAliveLoad } from '@course/shared/tools';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string): void => console.error(`lesson-13: ${line}`);
const seedCount = 10_000;
const hot = 1_000;

/** Routes traffic to the first `n` hosts only (the others in maintenance), through the runtime API. */
async function useHosts(stack: Stack, n: number): Promise<void> {
  for (const [i, host] of stack.hosts.entries()) await stack.haproxy.admin.setState(host.name, i < n ? 'ready' : 'maint');
  for (let i = 0; ; i++) {
    const servers = await stack.haproxy.admin.servers();
    if (servers.slice(0, n).every((s) => s.status === 'UP')) return;
    if (i > 200) throw new Error(`hosts not UP: ${servers.map((s) => `${s.name} ${s.status}`).join(', ')}`);
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

const random = (): number => 1 + Math.floor(Math.random() * hot);
const reads: RequestSpec = { requests: [{ method: 'GET', path: '/items/1', setupRequest: (req) => ({ ...req, path: `/items/${random()}` }) }] };
const writes: RequestSpec = {
  requests: [{
    method: 'PATCH', path: '/items/1', headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, path: `/items/${random()}`, body: JSON.stringify({ priceCents: 100 + Math.floor(Math.random() * 99_900) }) }),
  }],
};

/** Per variant: CPU seconds by program, cache counters and HAProxy's connections to the hosts, over its measured rounds. */
interface Split { seconds: ComponentSeconds; hits: number; misses: number; opened: number; reused: number }

/** HAProxy's connection counters, summed over the hosts. */
async function connections(stack: Stack): Promise<{ opened: number; reused: number }> {
  const servers = await stack.haproxy.admin.servers();
  return servers.reduce((sum, s) => ({ opened: sum.opened + s.connections.opened, reused: sum.reused + s.connections.reused }), { opened: 0, reused: 0 });
}

/**
 * A variant on `stack` with traffic on its first `hosts` hosts. Before each round it sets the
 * hosts and reads the CPU of every program and the caches' counters; after it, it adds the
 * differences to `splits` under the variant's name and reports the round's hit ratio.
 */
function variant(name: string, stack: Stack, hosts: number, request: RequestSpec, splits: Map<string, Split>, baseline?: string): HttpVariant {
  const target: Target = { url: stack.url, pids: () => stackRoots(stack) };
  let before: { cpu: CpuSample; cache?: CacheCounters; conns: { opened: number; reused: number } } | undefined;
  return {
    name, baseline, request,
    target: () => target,
    beforeRound: async () => {
      await useHosts(stack, hosts);
      before = { cache: await cacheCounters(stack), conns: await connections(stack), cpu: sampleCpu(stack) };
    },
    collect: async (_target, ran): Promise<Record<string, number>> => {
      const seconds = cpuBetween(before!.cpu, sampleCpu(stack));
      const conns = await connections(stack);
      const cache = await cacheCounters(stack);
      const split = splits.get(ran) ?? { seconds: cpuBetween(new Map(), new Map()), hits: 0, misses: 0, opened: 0, reused: 0 };
      for (const c of components) split.seconds[c] += seconds[c];
      split.opened += conns.opened - before!.conns.opened;
      split.reused += conns.reused - before!.conns.reused;
      if (cache && before!.cache) {
        split.hits += cache.hits - before!.cache.hits;
        split.misses += cache.misses - before!.cache.misses;
      }
      splits.set(ran, split);
      return cache && before!.cache ? { 'hit %': hitPercent(before!.cache, cache) } : {};
    },
  };
}

/** The split table: CPU per request by program; ELU and GC only where a Node probe answers. */
function splitTable(report: BenchReport, splits: Map<string, Split>): string[] {
  const rows = [['variant', 'program', 'CPU µs/req', 'share', 'hit %', 'conns/1k req', 'ELU', 'GC n', 'GC ms']];
  for (const v of report.variants) {
    const split = splits.get(v.name);
    if (!split) continue;
    const requests = (v.rounds as { requests: number }[]).reduce((sum, r) => sum + r.requests, 0);
    const total = components.reduce((sum, c) => sum + split.seconds[c], 0);
    const reads = split.hits + split.misses;
    for (const c of components) {
      const node = c === 'node workers';
      const a = v.attribution;
      rows.push([
        c === 'haproxy' ? v.name : '', c, fmt((split.seconds[c] * 1e6) / requests), `${Math.round((100 * split.seconds[c]) / total)}%`,
        node && reads > 0 ? fmt((100 * split.hits) / reads) : '–',
        c === 'haproxy' ? fmt((1000 * split.opened) / requests) : '–',
        // HAProxy, Redis and PostgreSQL cannot load the probe: no ELU or GC for them, not 0.
        node && a?.elu !== undefined ? a.elu.toFixed(2) : '–', node && a?.gcCount !== undefined ? String(a.gcCount) : '–', node ? fmt(a?.gcMs) : '–',
      ]);
    }
  }
  return ['where the CPU went, per request over the measured rounds (hit %: cache hits / reads, all workers; conns/1k req: connections HAProxy opened to the hosts; ELU, GC: the Node processes, primaries and workers):', ...table(rows).split('\n').map((l) => `  ${l}`)];
}

/** Stacks alive now, so Ctrl+C or a SIGTERM stops their engines instead of orphaning them. */
const running = new Set<Stack>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping the stacks`);
    void Promise.allSettled([...running].map((s) => s.stop())).finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const { options } = parseBenchArgs(process.argv.slice(2), { duration: 3, warmup: 2, rounds: 6, connections: 50 });
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
  const caches: CacheMode[] = short ? ['shared', 'local'] : ['none', 'shared', 'local'];
  const shape = `${hostCount} hosts × ${workersPerHost} worker${workersPerHost > 1 ? 's' : ''}`;
  const dir = scratchDir('bench');
  const quiet = (): void => {};
  // The probe in every host primary and worker: ELU, GC and --profile for the Node processes.
  const { COURSE_BENCH_PROBE_DIR, NODE_OPTIONS } = probeEnv();
  const hostEnv = { COURSE_BENCH_PROBE_DIR, NODE_OPTIONS };
  const start = async (cache: CacheMode, extra: Partial<Parameters<typeof startStack>[0]> = {}): Promise<Stack> => {
    say(`starting PostgreSQL, Redis, ${shape} (cache ${cache}) and HAProxy`);
    const stack = await startStack({ hosts: hostCount, workersPerHost, cache, seedCount, drainDelayMs: short ? 500 : 1500, log: quiet, hostEnv, ...extra });
    running.add(stack);
    return stack;
  };
  const stop = async (stack: Stack): Promise<void> => { running.delete(stack); await stack.stop(); };

  const lines: string[] = [];
  try {
    const stacks = new Map<CacheMode, Stack>();
    for (const cache of caches) stacks.set(cache, await start(cache));
    const local = stacks.get('local')!;
    const shared = stacks.get('shared')!;
    say('sync vs async: better-sqlite3 and PostgreSQL in this process');
    const syncLines = await syncVsAsync(shared.postgres.url, dir, seedCount, short ? 2000 : 20_000);

    // 1. Reads. Every read variant runs before any write: writes invalidate what reads measure.
    const at = (n: number): string => `${n} host${n > 1 ? 's' : ''}`;
    const readSplits = new Map<string, Split>();
    const readVariants: HttpVariant[] = [
      ...(stacks.has('none') ? [variant(`no cache, ${at(hostCount)}`, stacks.get('none')!, hostCount, reads, readSplits)] : []),
      variant(`shared Redis cache, ${at(hostCount)}`, shared, hostCount, reads, readSplits, short ? undefined : `no cache, ${at(hostCount)}`),
      variant(`per-worker caches, ${at(hostCount)}`, local, hostCount, reads, readSplits, `shared Redis cache, ${at(hostCount)}`),
      variant('shared Redis cache, 1 host', shared, 1, reads, readSplits, `shared Redis cache, ${at(hostCount)}`),
      variant('per-worker caches, 1 host', local, 1, reads, readSplits, `per-worker caches, ${at(hostCount)}`),
    ];
    const readReport = await benchHttp({ lesson: 'lesson-13', title: `reads over ${hot} hot ids, ${shape}`, variants: readVariants, options });
    lines.push(...splitTable(readReport, readSplits));

    // 2. Writes, per-worker caches: each PATCH is published and acknowledged by every other worker.
    const writeSplits = new Map<string, Split>();
    const writeReport = await benchHttp({
      lesson: 'lesson-13', title: `writes (PATCH), per-worker caches, ${shape}`, options,
      variants: [
        variant(`PATCH, ${at(hostCount)}`, local, hostCount, writes, writeSplits),
        variant('PATCH, 1 host', local, 1, writes, writeSplits, `PATCH, ${at(hostCount)}`),
      ],
    });
    lines.push(...splitTable(writeReport, writeSplits), '', ...syncLines, '');

    // 3. Stale reads, then 4. the rolling deploy, on the stacks that served the benches.
    const staleRounds = short ? 30 : 300;
    for (const [cache, stack] of [['shared', shared], ['local', local]] as const) {
      await useHosts(stack, hostCount);
      say(`stale reads, cache ${cache}`);
      lines.push(`stale reads, ${cache === 'local' ? 'per-worker caches' : 'shared Redis cache'}: ${await staleReads(stack, staleRounds)} of ${staleRounds} reads through one host right after a write through another`);
    }
    say('rolling deploy under 50 keep-alive sockets');
    // LESSON: the deploy under the client shape that sees a closing socket.
    const keepAlive = startKeepAliveLoad(local.url, { sockets: 50, timeoutMs: 15_000, next: (i) => i % 10 === 0
      ? { path: `/items/${(i % hot) + 1}`, method: 'PATCH', body: { priceCents: 100 + (i % 9000) } }
      : { path: `/items/${(i % hot) + 1}` } });
    const started = performance.now();
    await rollingDeploy(local, quiet);
    const seconds = (performance.now() - started) / 1000;
    const { outcomes } = await keepAlive.stop();
    const failed = failedOutcomes(outcomes);
    const kinds = [...new Set(failed.map((f) => f.error ?? `HTTP ${f.status}`))].join(', ');
    lines.push(`rolling deploy of ${hostCount} hosts under 50 keep-alive sockets (GET + 1 PATCH in 10): ${outcomes.length} requests in ${seconds.toFixed(1)} s, `
      + `${failed.length} failed${kinds ? ` (${kinds})` : ''}, ${outcomes.filter((o) => o.reused).length} on reused sockets`);
    for (const stack of stacks.values()) await stop(stack);

    // 5. Failover: kill -9 one host's primary in the middle of a load run.
    for (const retries of short ? (['on'] as const) : (['off', 'on'] as const)) {
      const stack = await start('local', { retries });
      try {
        const victim = stack.hosts[0]!;
        const workerPids = stack.pids().filter((pid) => pid !== victim.process.pid);
        const loadSeconds = short ? 3 : 8;
        say(`kill -9 of a host's primary under load, retry-on ${retries}`);
        const result = load(stack.url, 'read', loadSeconds, options.connections, hot, dir);
        await pause((loadSeconds * 1000) / 3);
        victim.process.kill('SIGKILL');
        const outcome = await result;
        const stats = (await stack.haproxy.admin.servers()).find((s) => s.name === victim.name);
        lines.push(`kill -9 of ${victim.host}'s primary under ${outcome.tool} (${loadSeconds} s, GET), retry-on ${retries === 'on' ? 'on + redispatch' : 'off'}: `
          + `${outcome.requests} requests, ${outcome.failed} failed (${outcome.detail}); haproxy retries ${stats?.errors.retries ?? '?'}, redispatches ${stats?.errors.redispatches ?? '?'}`);
        // The killed primary's workers exit when their IPC channel closes; check, never leak.
        const orphans = workerPids.filter((pid) => !stack.pids().includes(pid) && isAlive(pid));
        for (const pid of orphans) process.kill(pid, 'SIGKILL');
      } finally {
        await stop(stack);
      }
    }
    console.log(`\n${lines.join('\n')}`);
  } finally {
    await Promise.allSettled([...running].map((s) => stop(s)));
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
