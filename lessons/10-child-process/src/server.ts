/**
 * Entry point: the API with `POST /crunch` on a pool of child processes.
 * `CHILDREN` (default: cores), `CHILD_MAX_QUEUE` (64), `CRUNCH_TIMEOUT_MS` (5000),
 * `IPC_SERIALIZATION` (json | advanced), `CRUNCH_TASK_MODULE` (a path; default the crunch),
 * plus the course's config.
 */
import { ConfigError, createItemsRepository, createMetrics, integerFromEnv, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createChildProcessApp } from './app.ts';
import { ChildPool } from './pool/child-pool.ts';

const config = loadConfig(process.env, { port: 3010 });
const serialization = process.env.IPC_SERIALIZATION || 'json';
if (serialization !== 'json' && serialization !== 'advanced') throw new ConfigError(`IPC_SERIALIZATION must be json or advanced, got "${serialization}"`);

const db = openSeededDatabase(config);
const metrics = createMetrics();
const pool = new ChildPool({
  taskModule: process.env.CRUNCH_TASK_MODULE ? pathToFileURL(process.env.CRUNCH_TASK_MODULE) : new URL('./pool/crunch-task.ts', import.meta.url),
  size: integerFromEnv(process.env, 'CHILDREN', availableParallelism(), 1, 64),
  maxQueue: integerFromEnv(process.env, 'CHILD_MAX_QUEUE', 64, 0, 100_000),
  serialization,
});
// Children first, traffic second: a request should not wait for a process to start.
// LESSON: and a pool with no child that could start is a failed start, not a server that
// listens and answers every request with an error.
try {
  await pool.ready();
} catch (error) {
  console.error(`lesson-10: not starting: ${(error as Error).message}`);
  await pool.close();
  metrics.close();
  db.close();
  process.exit(1);
}
const app = createChildProcessApp({ store: createItemsRepository(db), pool, metrics, taskTimeoutMs: integerFromEnv(process.env, 'CRUNCH_TIMEOUT_MS', 5000, 1, 600_000) });

await serve(app, {
  name: 'lesson-10',
  config,
  onClose: async () => {
    await pool.close();
    metrics.close();
    db.close();
  },
});
