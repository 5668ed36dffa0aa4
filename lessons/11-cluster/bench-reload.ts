/**
 * Requests lost to a rolling restart, counted from the client's side.
 *
 *   node --import tsx bench-reload.ts [--runs N] [--connections N] [--workers N] [--short] [--no-wrk]
 *
 * Starts src/server.ts (the primary and N workers) on a database under tmp/, then for each
 * client (Node keep-alive GET and POST; wrk GET and POST when installed) and each run: load,
 * a rolling restart in the middle, load again. Prints per run: requests, non-2xx, restart
 * duration, max latency and socket errors by kind. The goal is 0 errors of any kind.
 */
import { availableParallelism } from 'node:os';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { repoRoot } from '@course/shared';
import { environmentLine, runBench, spawnServer, UsageError } from '@course/shared/bench';
import { prepareDatabase } from './src/database.ts';
import { formatReloadRow, loadRequests, measureReload, reloadHeader, reloadSummary, wrkInstalled, wrkScripts, type ReloadClient } from './src/reload/index.ts';

const serverEntry = fileURLToPath(new URL('./src/server.ts', import.meta.url));

function whole(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} must be a whole number >= 1, got "${raw}"`);
  return value;
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv.filter((a) => a !== '--'),
      options: {
        runs: { type: 'string' }, connections: { type: 'string' }, workers: { type: 'string' },
        short: { type: 'boolean' }, 'no-wrk': { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\noptions: --runs N --connections N --workers N --short --no-wrk`);
  }
}

async function main(): Promise<void> {
  const values = parseOptions(process.argv.slice(2));
  const short = values.short === true;
  const runs = whole('runs', values.runs, short ? 1 : 3);
  const connections = whole('connections', values.connections, 50);
  const workers = whole('workers', values.workers, availableParallelism());
  const seedCount = short ? 10_000 : 100_000;
  const hot = 5_000;

  const dir = join(repoRoot, 'tmp', 'lesson-11', 'bench');
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, `reload-${seedCount}.db`);
  prepareDatabase(dbPath, seedCount);
  const server = await spawnServer(serverEntry, { env: { DB_PATH: dbPath, SEED_COUNT: '0', WORKERS: String(workers) }, timeoutMs: 120_000 });

  const restart = (): Promise<void> => new Promise((resolve, reject) => {
    const onMessage = (message: { type?: string; ok?: boolean; error?: string }): void => {
      if (message?.type !== 'rolling-restart-done') return;
      server.child.off('message', onMessage);
      if (message.ok) resolve();
      else reject(new Error(`rolling restart failed: ${message.error}`));
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'rolling-restart' });
  });

  const clients: ReloadClient[] = [
    { kind: 'node', name: 'node keep-alive GET', request: loadRequests.get(hot) },
    { kind: 'node', name: 'node keep-alive POST', request: loadRequests.post('reload') },
  ];
  if (values['no-wrk'] !== true) {
    if (wrkInstalled()) {
      const scripts = wrkScripts(dir, hot);
      clients.push({ kind: 'wrk', name: 'wrk GET', script: scripts.get }, { kind: 'wrk', name: 'wrk POST', script: scripts.post });
    } else {
      console.log('wrk not installed: Node client only (apt-get install wrk)');
    }
  }

  console.log(`lesson-11 · rolling restart of ${workers} workers under load · ${environmentLine()}${short ? ' · --short: a smoke run, not a measurement' : ''}`);
  console.log(`${connections} keep-alive connections, ${runs} run(s) per client, restart after ${short ? 1 : 3} s, ${short ? 1 : 3} s after it\n`);
  console.log(reloadHeader);
  try {
    const rows = await measureReload({
      url: server.url, restart, clients, runs, connections,
      beforeS: short ? 1 : 3, afterS: short ? 1 : 3,
      onRow: (row) => console.log(formatReloadRow(row)),
    });
    console.log(`\n${reloadSummary(rows)}`);
  } finally {
    await server.close(15_000);
  }
}

runBench(main);
