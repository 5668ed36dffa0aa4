/**
 * Entry point for one step of the cache-hit attribution (src/hit-steps.ts): HIT_STEP names the
 * step; an in-memory database of SEED_COUNT items (default 1000) behind lesson 03's cache.
 *
 *   HIT_STEP=+metrics DB_PATH=:memory: node --import tsx src/hit-step-server.ts
 */
import { createItemsRepository, createMetrics, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createCachedStore } from 'lesson-03';
import { createHitStep, parseHitStep } from './hit-steps.ts';

const step = parseHitStep(process.env.HIT_STEP);
const config = loadConfig(process.env, { dbPath: ':memory:', seedCount: 1000 });
const db = openSeededDatabase(config);
const store = createCachedStore(createItemsRepository(db));
const metrics = createMetrics();
await serve(createHitStep(step, { store, metrics }), {
  name: `lesson-07 cache-hit step ${step}`,
  config,
  onClose: () => {
    metrics.close();
    db.close();
  },
});
