/**
 * The whole lesson on one machine: PostgreSQL, Redis, N hosts on 127.0.0.2…, HAProxy in front.
 * Started in dependency order, stopped in reverse, every process accounted for by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { snapshotTree } from '@course/shared/bench';
import { freePort } from '@course/shared/tools';
import type { EngineProcess } from './engines/child.ts';
import { requireEngineBinaries } from './engines/binaries.ts';
import { scratchDir } from './engines/scratch.ts';
import { startHaproxy, waitForServersUp, type RunningHaproxy } from './engines/haproxy.ts';
import { startPostgres, type RunningPostgres } from './engines/postgres.ts';
import { startRedis, type RunningRedis } from './engines/redis.ts';
import type { CacheMode } from './host-config.ts';
import { preparePgDatabase } from './items/pg-schema.ts';
import { assertPoolsFit, poolSizeFor } from './pool-sizing.ts';

/** The lesson's git-ignored scratch folder (the pid file of `npm start`; engines never use it). */
export const lessonTmp = fileURLToPath(new URL('../tmp/', import.meta.url));
export { scratchDir };
const hostEntry = fileURLToPath(new URL('./host.ts', import.meta.url));

/** Options for {@link startStack}. */
export interface StackOptions {
  hosts?: number;
  workersPerHost?: number;
  cache?: CacheMode;
  /** HAProxy retries idempotent requests on another host (`on`, default) or never (`off`). */
  retries?: 'on' | 'off';
  /** PostgreSQL's max_connections (default 40). */
  maxConnections?: number;
  /** Pool size per worker (default: the largest that fits). */
  poolMax?: number;
  seedCount?: number;
  drainDelayMs?: number;
  /** Extra environment for the hosts (the bench adds its probe's NODE_OPTIONS). */
  hostEnv?: NodeJS.ProcessEnv;
  /** Where host output goes (default: prefixed to this process's stdout). */
  log?: (line: string) => void;
}

/** One host: its address and its primary's process. */
export interface HostHandle {
  name: string;
  host: string;
  port: number;
  url: string;
  process: ChildProcess;
}

/** A running stack. */
export interface Stack {
  /** The balancer's URL: what clients use. */
  url: string;
  hosts: HostHandle[];
  haproxy: RunningHaproxy;
  postgres: RunningPostgres;
  redis: RunningRedis;
  poolMax: number;
  workersPerHost: number;
  /**
   * SIGTERM a host and wait until it has exited (its lame duck, then its drain). A host still
   * alive after `timeoutMs` (default: lame duck + drain deadline + 7 s) is killed with SIGKILL,
   * its process group with it (its workers).
   */
  stopHost(index: number, options?: { timeoutMs?: number }): Promise<void>;
  /** Starts host `index` again (same address and port); resolves once it is ready. */
  startHost(index: number): Promise<void>;
  /** Pids of every process the stack started that is alive now: engines, hosts, workers, postgres backends. */
  pids(): number[];
  /**
   * Stops the hosts (each drains), then HAProxy, Redis and PostgreSQL; removes the scratch
   * folder. Logs `stop: <part> stopped` for each. Calls after the first share its promise.
   */
  stop(): Promise<void>;
}

/** Every descendant of `pid`: the shared /proc walk (Linux; empty elsewhere). */
export function descendants(pid: number): number[] {
  return (snapshotTree([pid])?.pids ?? []).filter((p) => p !== pid);
}

/** True while a process with this pid exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    try { process.kill(pid, 0); return true; } catch { return false; }
  }
}

/** Starts everything; on failure stops what had started and rethrows. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const binaries = requireEngineBinaries();
  const hostCount = options.hosts ?? 3;
  const workersPerHost = options.workersPerHost ?? 2;
  const maxConnections = options.maxConnections ?? 40;
  const poolMax = options.poolMax ?? Math.min(5, poolSizeFor({ hosts: hostCount, workersPerHost, maxConnections }));
  assertPoolsFit({ hosts: hostCount, workersPerHost, maxConnections }, poolMax);
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = scratchDir('stack');

  const started: { name: string; stop(): Promise<void> }[] = [];
  const hosts: HostHandle[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> => stopping ??= (async () => {
    // LESSON: the hosts first (they drain while PostgreSQL and Redis still answer), then the
    // balancer, then the engines in reverse order of start.
    const order = [...started.filter((s) => s.name === 'hosts'), ...started.filter((s) => s.name !== 'hosts').reverse()];
    for (const item of order) {
      await item.stop().then(() => log(`stop: ${item.name} stopped`), (error: unknown) => log(`stop: ${item.name}: ${(error as Error).message}`));
    }
    started.length = 0;
    rmSync(dir, { recursive: true, force: true });
  })();

  try {
    // PostgreSQL listens on a unix socket only; its port number just names the socket file.
    const [redisPort, lbPort] = await Promise.all([freePort(), freePort()]);
    const pgPort = 5432;
    const postgres = await startPostgres({ ...binaries, dir: join(dir, 'postgres'), port: pgPort, maxConnections });
    started.push({ name: 'postgres', stop: () => postgres.stop() });
    const redisDir = join(dir, 'redis');
    mkdirSync(redisDir, { recursive: true });
    const redis = await startRedis({ ...binaries, dir: redisDir, port: redisPort! });
    started.push({ name: 'redis', stop: () => redis.stop() });

    const seedPool = new pg.Pool({ connectionString: postgres.url, max: 1 });
    await preparePgDatabase(seedPool, options.seedCount ?? 10_000);
    await seedPool.end();

    const addresses = Array.from({ length: hostCount }, (_, i) => `127.0.0.${i + 2}`);
    const hostPort = await freePort({ hosts: addresses });
    const shutdownTimeoutMs = 10_000;
    const env = (host: string): NodeJS.ProcessEnv => ({
      ...process.env,
      ...options.hostEnv,
      HOST: host,
      PORT: String(hostPort),
      PG_URL: postgres.url,
      REDIS_URL: redis.url,
      CACHE: options.cache ?? 'local',
      POOL_MAX: String(poolMax),
      WORKERS: String(workersPerHost),
      DRAIN_DELAY_MS: String(options.drainDelayMs ?? 1500),
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
    });

    const startHost = async (index: number): Promise<void> => {
      const host = addresses[index]!;
      const child = spawn(process.execPath, ['--import', 'tsx', hostEntry], {
        env: env(host),
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // LESSON: its own process group, with its workers: Ctrl-C in the terminal reaches only
        // the stack's process, which stops each host with one SIGTERM (lame duck, then drain).
        // In the terminal's group the workers would get SIGINT too and exit while their
        // primary is still in lame duck, and it would replace them as crashed.
        detached: true,
      });
      const prefix = (chunk: Buffer): void => {
        for (const line of chunk.toString().split('\n')) if (line) log(`[${host}] ${line}`);
      };
      child.stdout!.on('data', prefix);
      child.stderr!.on('data', prefix);
      const handle: HostHandle = { name: `h${index + 1}`, host, port: hostPort, url: `http://${host}:${hostPort}`, process: child };
      hosts[index] = handle;
      await new Promise<void>((resolve, reject) => {
        const onExit = (code: number | null, signal: string | null): void => reject(new Error(`host ${host} exited (${signal ?? `code ${code}`}) before it was ready`));
        child.once('exit', onExit);
        child.on('message', (message) => {
          if (message === 'ready') { child.off('exit', onExit); resolve(); }
        });
      });
    };
    const drainDelayMs = options.drainDelayMs ?? 1500;
    const stopHost = async (index: number, stopOptions: { timeoutMs?: number } = {}): Promise<void> => {
      const child = hosts[index]?.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      // The host's own deadlines: lame duck, then its workers' drain (SHUTDOWN_TIMEOUT_MS) and the
      // primary's 2 s before it kills one. Past that it is stuck (or stopped): kill it and its group.
      const timeoutMs = stopOptions.timeoutMs ?? drainDelayMs + shutdownTimeoutMs + 7000;
      const timer = setTimeout(() => {
        log(`[${hosts[index]!.host}] still running ${timeoutMs} ms after SIGTERM: SIGKILL`);
        try { process.kill(-child.pid!, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
      }, timeoutMs);
      await exited;
      clearTimeout(timer);
    };
    started.push({ name: 'hosts', stop: async () => { await Promise.all(hosts.map((_, i) => stopHost(i))); } });
    // One at a time: on 2 cores, parallel tsx start-ups only queue behind each other.
    for (let i = 0; i < hostCount; i++) await startHost(i);

    const haproxy = await startHaproxy({
      haproxy: binaries.haproxy,
      dir,
      port: lbPort!,
      adminSocket: join(dir, 'haproxy-admin.sock'),
      hosts: hosts.map((h) => ({ name: h.name, host: h.host, port: h.port })),
      retries: options.retries ?? 'on',
    });
    started.push({ name: 'haproxy', stop: () => haproxy.stop() });
    // Ready means the balancer sees every host UP, not only that it listens.
    await waitForServersUp(haproxy.admin, hosts.map((h) => h.name));

    const engines: EngineProcess[] = [postgres.engine, redis.engine, haproxy.engine];
    return {
      url: haproxy.url,
      hosts,
      haproxy,
      postgres,
      redis,
      poolMax,
      workersPerHost,
      stopHost,
      startHost,
      pids: () => {
        const roots = [...engines.map((e) => e.pid), ...hosts.map((h) => h.process.pid!).filter(Boolean)];
        return [...new Set([...roots, ...roots.flatMap(descendants)])].filter(isAlive);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
