/**
 * The course's items API, with or without the cache in front of the repository.
 */
import type { Express } from 'express';
import { createApiApp, type ItemsRepository, type ItemsStore, type Metrics } from '@course/shared';
import { createCachedStore, type CachedStore, type CachedStoreOptions } from './cached-store.ts';

/** Dependencies of {@link createCacheApp}. */
export interface CacheAppOptions {
  /** The SQLite repository (or, in tests, a spy around it). */
  repo: ItemsRepository | ItemsStore;
  /** `false` serves straight from the repository: the bench's baseline. */
  cached: boolean;
  /** Size, TTL, clock and write hook of the cache. */
  cache?: CachedStoreOptions;
  /** `/metrics`; the cached app registers its hit/miss counts there as `custom.cache`. */
  metrics?: Metrics;
}

/** The app, and the cached store when there is one (lesson 11 needs it to invalidate). */
export interface CacheApp {
  app: Express;
  store?: CachedStore;
}

/** Builds the items API, reading through the cache when `cached` is true. */
export function createCacheApp(options: CacheAppOptions): CacheApp {
  if (!options.cached) {
    return { app: createApiApp({ store: options.repo, metrics: options.metrics }) };
  }
  const store = createCachedStore(options.repo, options.cache);
  options.metrics?.register('cache', () => store.stats());
  return { app: createApiApp({ store, metrics: options.metrics }), store };
}
