/**
 * Lesson 13's public pieces.
 */
export { createLocalCoherentStore, type StatsStore } from './cache/local-coherent-store.ts';
export { createRedisCacheStore } from './cache/redis-cache-store.ts';
export { createPgItemsRepository, type AsyncItemsRepository } from './items/pg-items-repository.ts';
export { preparePgDatabase, pgSchema } from './items/pg-schema.ts';
export { poolSizeFor, assertPoolsFit, type PoolBudget } from './pool-sizing.ts';
export { startStack, type Stack, type StackOptions, type HostHandle } from './stack.ts';
export { rollingDeploy } from './rolling-deploy.ts';
export { findEngineBinaries, requireEngineBinaries, MissingEnginesError } from './engines/binaries.ts';
export { startRedis } from './engines/redis.ts';
export { startPostgres } from './engines/postgres.ts';
