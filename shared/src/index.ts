/**
 * @course/shared: what every lesson needs and no lesson teaches.
 * The bench harness is a separate entry (`@course/shared/bench`), test helpers another
 * (`@course/shared/testing`), so servers never load autocannon.
 */
export { loadConfig, integerFromEnv, ConfigError, defaultDbPath, defaultMaxConnections, repoRoot, type Config } from './config.ts';
export { openDatabase, type OpenDatabaseOptions, type Database } from './db/open-database.ts';
export { openSeededDatabase } from './db/open-seeded-database.ts';
export { migrate, migrations } from './db/migrations.ts';
export { seedItems, generateItems, createRandom, categories, type SeedItem } from './db/seed.ts';
export type { Item, NewItem, ItemPatch, CategoryStat, ItemRow } from './items/item.ts';
export { rowToItem } from './items/item.ts';
export { createItemsRepository, type ItemsRepository, type ItemFilter, type ListQuery, type RepositoryOptions } from './items/items-repository.ts';
export { newItemSchema, itemPatchSchema, idSchema, listQuerySchema, maxOffset, parseOr400, toFieldIssues } from './items/item-schemas.ts';
export { createItemsRouter, parseId, sendEncoded, type ItemsStore } from './items/items-router.ts';
export { encodeItem, weakEtag, type EncodedItem } from './items/encoded-item.ts';
export * from './http/errors.ts';
export { createApp, type AppOptions } from './http/create-app.ts';
export { createApiApp, type ApiAppOptions } from './http/create-api-app.ts';
export { errorHandler, notFoundHandler, type ErrorLogger } from './http/error-handler.ts';
export { requestId, requestIdFor, getRequestId } from './http/request-id.ts';
export { withHotItemReads, hotItemId, type EncodedItemCache, type HotItemReadsOptions } from './http/hot-item-reads.ts';
export { requireJson } from './http/require-json.ts';
export { createMetrics, type Metrics, type MetricsSnapshot, type MetricsOptions } from './metrics/metrics.ts';
export { startServer, type RunningServer, type StartOptions } from './lifecycle/start-server.ts';
export { answerClientErrorsAsJson, requireHost, parserErrorToApiError } from './lifecycle/client-errors.ts';
export { serve, notifyReady, exitOnSignals, exitWithParent, type ServeOptions, type ListeningMessage } from './lifecycle/serve.ts';
