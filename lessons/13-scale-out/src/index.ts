/**
 * Lesson 13's public pieces. Lesson 12 imports the Redis invalidation channel to make pm2's
 * workers' caches coherent.
 */
export { createRedisInvalidationChannel, type RedisInvalidationChannel, type RedisChannelOptions } from './cache/redis-invalidation-channel.ts';
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
