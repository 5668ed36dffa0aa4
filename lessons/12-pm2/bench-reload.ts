/**
 * `npm run bench:reload`: pm2 reload under load. Starts course-api under pm2 (2 instances, own
 * daemon in tmp/), then for each run and each client (wrk when installed, a Node keep-alive
 * client) and method (GET, POST) it loads the API, runs `pm2 reload course-api` in the middle
 * (what `npm run reload` runs), and prints requests, socket errors by kind, non-2xx, the
 * reload's duration and the slowest request. The daemon is killed at the end and on Ctrl-C.
 *
 *   node --import tsx bench-reload.ts [--runs 3] [--workers 2] [--connections 50] [--short]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import { environmentLine, parseBenchArgs, runBench, tsxImportArgs, UsageError } from '@course/shared/bench';
import { prepareDatabase } from 'lesson-11';
import { freePort } from '@course/shared/tools';
import { pm2 } from './src/pm2.ts';
import { runReloadBench } from './src/reload-bench.ts';

async function main(): Promise<void> {
  const { options, values } = parseBenchArgs(process.argv.slice(2), {}, { runs: { type: 'string' }, workers: { type: 'string' } });
  const runs = values.runs === undefined ? (options.short ? 1 : 3) : Number(values.runs);
  const workers = values.workers === undefined ? 2 : Number(values.workers);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a whole number >= 1, got "${String(values.runs)}"`);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers must be a whole number >= 1, got "${String(values.workers)}"`);

  const dir = join(repoRoot, 'tmp', 'lesson-12', 'bench-reload');
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'bench.db');
  const seedCount = 10_000;
  prepareDatabase(dbPath, seedCount);
  const port = await freePort({ belowEphemeral: true });
  const env = { ...process.env, PM2_HOME: join(dir, 'pm2-home'), DB_PATH: dbPath, SEED_COUNT: '0', WORKERS: String(workers), PORT: String(port) };
  const kill = async (): Promise<void> => { await pm2(['kill'], env); };
  // The daemon is detached from this terminal: Ctrl-C must take it down explicitly.
  const onSignal = (): void => { void kill().then(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  console.log(`lesson-12 · pm2 reload under load, ${workers} instances · ${environmentLine()}`);
  try {
    const started = spawnSync(process.execPath, [...tsxImportArgs, fileURLToPath(new URL('./src/start.ts', import.meta.url)), '--quiet'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (started.status !== 0) throw new Error('pm2 start failed (see above)');
    const lead = options.short ? 1 : 3;
    console.log(`${runs} run(s) per client and method, ${options.connections} connections, reload after ${lead} s, load until 2 s after it`);
    await runReloadBench({
      target: {
        url: `http://127.0.0.1:${port}`,
        reload: async () => {
          const reloaded = await pm2(['reload', 'course-api'], env);
          if (reloaded.code !== 0) throw new Error(`pm2 reload failed: ${reloaded.stderr || reloaded.stdout}`);
        },
      },
      runs,
      leadSeconds: lead,
      tailSeconds: 2,
      connections: options.connections,
      getPath: () => `/items/${1 + Math.floor(Math.random() * seedCount)}`,
    });
  } finally {
    await kill();
  }
}

runBench(main);
