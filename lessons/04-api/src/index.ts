/**
 * Lesson 04's public surface: the API factory and its pieces.
 */
export { createApi, type ApiOptions } from './app.ts';
export { createCatalog, type Catalog, type CatalogMode, type CatalogOptions } from './catalog.ts';
export { encodeCursor, decodeCursor, cursorSchema } from './cursor.ts';
export { fieldsSchema, pickFields, itemFields, type ItemField } from './fields.ts';
export { pageQuerySchema, itemQuerySchema, catalogQuerySchema } from './query-schemas.ts';
export { createReadRoutes, type Page } from './read-routes.ts';
export { notifyWrites } from './notify-writes.ts';
