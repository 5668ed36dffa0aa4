/**
 * The course's main service: a primary and one worker per core, all serving the full API on
 * one port. `kill -HUP <pid>` restarts the workers one by one without dropping a request.
 */
import { fileURLToPath } from 'node:url';
import { exitOnSignals, loadConfig, notifyReady } from '@course/shared';
import { loadClusterConfig } from './cluster-config.ts';
import { prepareDatabase } from './database.ts';
import { isMessage } from './messages.ts';
import { createPrimary } from './primary.ts';

const config = loadConfig();
const clusterConfig = loadClusterConfig();

// LESSON: seed once, here, before any worker exists.
const seeded = prepareDatabase(config.dbPath, config.seedCount);
if (seeded > 0) console.log(`seeded ${seeded} items into ${config.dbPath}`);

const primary = createPrimary({
  exec: fileURLToPath(new URL('./worker.ts', import.meta.url)),
  workers: clusterConfig.workers,
  invalidation: clusterConfig.invalidation,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  readyTimeoutMs: clusterConfig.readyTimeoutMs,
  // LESSON: the primary owns the port; it never closes while the primary runs.
  listen: { host: config.host, port: config.port },
});
const url = await primary.ready;
console.log(`lesson-11 primary ${process.pid}: ${clusterConfig.workers} worker(s) on ${url} (cache invalidation: ${clusterConfig.invalidation})`);
console.log(`  rolling restart: kill -HUP ${process.pid}    stop: Ctrl+C or kill ${process.pid}`);
notifyReady(url, Number(new URL(url).port));

process.on('SIGHUP', () => {
  primary.rollingRestart().catch((error: unknown) => console.error((error as Error).message));
});
// The same restart on request of a parent over IPC (bench:reload), answered when complete.
process.on('message', (message) => {
  if (!isMessage(message, 'rolling-restart')) return;
  const startedAt = performance.now();
  primary.rollingRestart().then(
    () => process.send?.({ type: 'rolling-restart-done', ok: true, ms: performance.now() - startedAt }),
    (error: unknown) => process.send?.({ type: 'rolling-restart-done', ok: false, error: (error as Error).message }),
  );
});
exitOnSignals({
  close: async () => {
    await primary.stop();
    return { timedOut: false };
  },
});
// Started by a test or a bench over IPC: if that parent dies, do not outlive it.
if (process.send) process.once('disconnect', () => void primary.stop().then(() => process.exit(0)));
