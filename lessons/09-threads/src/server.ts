/**
 * Entry point: `CRUNCHER=main-thread|worker-per-request|hand-pool|piscina` (default piscina),
 * `CRUNCH_THREADS`, `CRUNCH_MAX_QUEUE`, `CRUNCH_TIMEOUT_MS`, plus the course's config.
 */
import { ConfigError, createItemsRepository, createMetrics, integerFromEnv, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createThreadsApp } from './app.ts';
import { defaultPoolSize } from './pool/pool-size.ts';
import { createCruncher } from './crunch/create-cruncher.ts';
import { cruncherNames, type CruncherName } from './crunch/cruncher.ts';

const config = loadConfig(process.env, { port: 3009 });
const name = (process.env.CRUNCHER || 'piscina') as CruncherName;
if (!cruncherNames.includes(name)) throw new ConfigError(`CRUNCHER must be one of ${cruncherNames.join(', ')}, got "${name}"`);
const threads = integerFromEnv(process.env, 'CRUNCH_THREADS', defaultPoolSize(), 1, 64);
const maxQueue = integerFromEnv(process.env, 'CRUNCH_MAX_QUEUE', 64, 0, 100_000);
const taskTimeoutMs = integerFromEnv(process.env, 'CRUNCH_TIMEOUT_MS', 5000, 1, 600_000);

const db = openSeededDatabase(config);
const metrics = createMetrics();
const cruncher = createCruncher(name, { threads, maxQueue });
const app = createThreadsApp({ store: createItemsRepository(db), metrics, cruncher, taskTimeoutMs });

await serve(app, {
  name: `lesson-09 (${name})`,
  config,
  onClose: async () => {
    await cruncher.close();
    metrics.close();
    db.close();
  },
});
