/**
 * Lesson 03's public surface: the cached store (lesson 11 builds its cross-process
 * invalidation on it) and the app factory.
 */
export { approximateBytes, createCachedStore, type CachedStore, type CachedStoreOptions, type CacheStats, type Invalidation } from './cached-store.ts';
export { createCacheApp, type CacheApp, type CacheAppOptions } from './app.ts';
