/**
 * Entry point: the API with `POST /crunch` on a pool of child processes.
 * `CHILDREN` (default: cores), `CHILD_MAX_QUEUE` (64), `CRUNCH_TIMEOUT_MS` (5000),
 * `IPC_SERIALIZATION` (json | advanced), plus the course's config.
 */
import { ConfigError, createItemsRepository, createMetrics, integerFromEnv, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { availableParallelism } from 'node:os';
import { createChildProcessApp } from './app.ts';
import { ChildPool } from './pool/child-pool.ts';

const config = loadConfig(process.env, { port: 3010 });
const serialization = process.env.IPC_SERIALIZATION || 'json';
if (serialization !== 'json' && serialization !== 'advanced') throw new ConfigError(`IPC_SERIALIZATION must be json or advanced, got "${serialization}"`);

const db = openSeededDatabase(config);
const metrics = createMetrics();
const pool = new ChildPool({
  taskModule: new URL('./pool/crunch-task.ts', import.meta.url),
  size: integerFromEnv(process.env, 'CHILDREN', availableParallelism(), 1, 64),
  maxQueue: integerFromEnv(process.env, 'CHILD_MAX_QUEUE', 64, 0, 100_000),
  serialization,
});
// Children first, traffic second: a request should not wait for a process to start.
await pool.ready();
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
