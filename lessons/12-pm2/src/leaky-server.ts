/**
 * Lesson 11's worker app plus lesson 08's leaky `GET /leak`: each request keeps ~100 KiB for
 * good, so pm2's `max_memory_restart` has something to do.
 */
import { createItemsRepository, createMetrics, loadConfig, openDatabase, serve } from '@course/shared';
import { createLeakyRouter } from 'lesson-08';
import { createCoherentStore, createWorkerApp, loadClusterConfig, withBusyAs503 } from 'lesson-11';

const config = loadConfig();
const clusterConfig = loadClusterConfig();
const db = openDatabase(config.dbPath, { busyTimeoutMs: 0 }) // waited for off the event loop by withBusyAs503;
const store = createCoherentStore(withBusyAs503(createItemsRepository(db), { budgetMs: clusterConfig.busyTimeoutMs }), undefined, { ttlMs: clusterConfig.cacheTtlMs });
const metrics = createMetrics();
const app = createWorkerApp({
  store,
  metrics,
  // LESSON: the leak pm2 will contain, not cure: it restarts the worker before the heap fills.
  routes: (app) => app.use(createLeakyRouter()),
});

await serve(app, {
  name: 'lesson-12 leaky worker',
  config,
  onClose: async () => {
    metrics.close();
    db.close();
    // As lesson 11's worker: read connections pm2's primary passed us while closing, so
    // Node hands them back to it instead of leaving them hanging (see lesson 11's README).
    await new Promise((resolve) => setTimeout(resolve, clusterConfig.exitLingerMs));
  },
}).catch((error: unknown) => {
  console.error(`lesson-12 leaky worker ${process.pid} cannot serve: ${(error as Error).message}`);
  process.exit(1);
});
