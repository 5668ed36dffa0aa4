/**
 * Lesson 03's read-through cache, re-exported so the rest of this lesson has one import point.
 */
export { createCachedStore, type CachedStore, type CachedStoreOptions, type CacheStats, type Invalidation } from 'lesson-03';
