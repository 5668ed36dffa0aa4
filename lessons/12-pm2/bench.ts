/**
 * Same worker, two supervisors: lesson 11's hand-written primary vs pm2's cluster mode.
 * Both are Node's cluster module underneath (round-robin from the primary / the pm2 daemon),
 * so the expected ratio is about 1: pm2 adds management, not speed.
 *
 *   node --import tsx bench.ts [--workers N] [--short] [--duration S] ...
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@course/shared';
import { benchHttp, parseBenchArgs, runBench, spawnServer, tsxImportArgs, UsageError, type Target } from '@course/shared/bench';
import { prepareDatabase } from 'lesson-11';
import { freePort } from './src/free-port.ts';
import { pm2 } from './src/pm2.ts';

async function main(): Promise<void> {
  const { options, values } = parseBenchArgs(process.argv.slice(2), {}, { workers: { type: 'string' } });
  const workers = values.workers === undefined ? 2 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers must be a whole number >= 1, got "${String(values.workers)}"`);

  const dir = join(repoRoot, 'tmp', 'lesson-12', 'bench');
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'bench.db');
  const seedCount = 10_000;
  prepareDatabase(dbPath, seedCount);
  // Same cache settings on both sides (the ecosystem's default TTL is 1 s, lesson 11's 60 s), so
  // the supervisor is the only difference.
  const env = { ...process.env, DB_PATH: dbPath, SEED_COUNT: '0', WORKERS: String(workers), CACHE_TTL_MS: '60000' };

  const primary = async (): Promise<Target> => spawnServer(new URL('../11-cluster/src/server.ts', import.meta.url).pathname, { env, timeoutMs: 120_000 });
  const underPm2 = async (): Promise<Target> => {
    const port = await freePort();
    const pm2Env = { ...env, PM2_HOME: join(dir, 'pm2-home'), PORT: String(port) };
    const close = async (): Promise<void> => { await pm2(['kill'], pm2Env); };
    const started = spawnSync(process.execPath, [...tsxImportArgs, new URL('./src/start.ts', import.meta.url).pathname], { env: pm2Env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (started.status !== 0) {
      await close();
      throw new Error('pm2 start failed (see above)');
    }
    return { url: `http://127.0.0.1:${port}`, close };
  };
  const read = { requests: [{ method: 'GET' as const, path: '/items/1', setupRequest: (req: any) => ({ ...req, path: `/items/${1 + Math.floor(Math.random() * seedCount)}` }) }] };

  await benchHttp({
    lesson: 'lesson-12',
    title: `lesson 11 primary vs pm2 cluster, ${workers} workers`,
    options,
    variants: [
      { name: 'lesson-11 primary', target: primary, request: read },
      { name: 'pm2 cluster', target: underPm2, request: read },
    ],
  });
}

runBench(main);
