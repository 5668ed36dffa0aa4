/**
 * The course's service as each stage built it, each started through its lesson's own entry
 * point or start helper, on the same 10 000 items. What the scoreboard needs from a stage: a
 * URL, the pids whose process trees are the server (for CPU), and a way to stop it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '@course/shared';
import { spawnServer, tsxImportArgs } from '@course/shared/bench';
import { pm2 } from 'lesson-12';
import { findEngineBinaries, startStack } from 'lesson-13';

export interface RunningStage {
  url: string;
  /** Roots of the server's process trees (CPU is summed over them and their descendants). */
  pids(): number[];
  stop(): Promise<void>;
}

export interface StageContext {
  /** Scratch folder for databases and daemons' homes. */
  dir: string;
  /** Items seeded (ids 1…seedCount). */
  seedCount: number;
  short: boolean;
}

export interface Stage {
  id: string;
  label: string;
  /** Why this stage cannot run here (a missing engine), or undefined. */
  unavailable?(): string | undefined;
  start(context: StageContext): Promise<RunningStage>;
}

const lessonFile = (lesson: string, file: string): string => join(repoRoot, 'lessons', lesson, file);

/** A fresh SQLite file for a stage: writes of an earlier run do not carry over. */
function freshDb(context: StageContext, name: string): string {
  const path = join(context.dir, `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  return path;
}

/** One server process started from a lesson's `src/server.ts` (02, 03, 04, 11). */
function entryPointStage(id: string, label: string, lesson: string, env: NodeJS.ProcessEnv = {}): Stage {
  return {
    id, label,
    async start(context) {
      const server = await spawnServer(lessonFile(lesson, 'src/server.ts'), {
        env: { DB_PATH: freshDb(context, `stage-${id}`), SEED_COUNT: String(context.seedCount), ...env },
        probe: false,
        timeoutMs: 180_000,
      });
      return { url: server.url, pids: () => [server.pid], stop: () => server.close() };
    },
  };
}

/**
 * A loopback port free right now, below Linux's ephemeral range (as lesson 12's free-port.ts
 * picks one: pm2 cannot report a port-0 choice back).
 */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port found');
}

const pm2Stage: Stage = {
  id: '12',
  label: '12 · pm2 cluster, 2 workers',
  async start(context) {
    const home = join(context.dir, 'pm2-home');
    mkdirSync(home, { recursive: true });
    const port = await freePort();
    const env = { ...process.env, PM2_HOME: home, PORT: String(port), WORKERS: '2', DB_PATH: freshDb(context, 'stage-12'), SEED_COUNT: String(context.seedCount) };
    const stop = async (): Promise<void> => { await pm2(['kill'], env); };
    // Lesson 12's start script: seeds, starts the ecosystem file's app, waits until every instance answers.
    const started = spawnSync(process.execPath, [...tsxImportArgs, lessonFile('12-pm2', 'src/start.ts'), '--quiet'], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 180_000 });
    if (started.status !== 0) {
      await stop();
      throw new Error(`lesson 12's start script failed (exit ${started.status})`);
    }
    // pm2's daemon is the cluster's primary: its tree holds the workers.
    return { url: `http://127.0.0.1:${port}`, pids: () => [Number(readFileSync(join(home, 'pm2.pid'), 'utf8'))], stop };
  },
};

const scaleOutStage: Stage = {
  id: '13',
  label: '13 · hosts behind HAProxy, PostgreSQL, Redis',
  unavailable() {
    const { missing } = findEngineBinaries();
    return missing.length > 0 ? `PostgreSQL, Redis and HAProxy needed; missing ${missing.join(', ')}` : undefined;
  },
  async start(context) {
    // The lesson's own bench shape: 3 hosts × 2 workers, 2 × 1 in a short run.
    const stack = await startStack({
      hosts: context.short ? 2 : 3, workersPerHost: context.short ? 1 : 2, cache: 'local', seedCount: context.seedCount, log: () => {},
    });
    return { url: stack.url, pids: () => stack.pids(), stop: () => stack.stop() };
  },
};

export const stages: readonly Stage[] = [
  entryPointStage('02', '02 · SQLite', '02-db'),
  entryPointStage('03', '03 · + cache', '03-cache', { CACHE: 'on' }),
  entryPointStage('04', '04 · lesson 04\'s API (no item cache)', '04-api', { CATALOG_CACHE: 'on' }),
  entryPointStage('11', '11 · cluster, 2 workers, coherent caches', '11-cluster', { WORKERS: '2', CACHE_INVALIDATION: 'broadcast' }),
  pm2Stage,
  scaleOutStage,
];
