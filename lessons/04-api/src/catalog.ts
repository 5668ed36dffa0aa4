/**
 * `GET /catalog`: the first 5000 items in one response (about 1 MB of JSON), the kind of large,
 * read-mostly document a client syncs or a front page lists.
 *
 * Both variants keep the items in memory and drop them on every write, so the database is out
 * of the picture and they differ by one idea: `per-request` serializes the objects for every
 * request (what `res.json` does), `buffered` serializes once and sends the same bytes, with
 * an ETag computed once, until the next write.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { parseOr400, type Item, type ItemsStore } from '@course/shared';
import { catalogQuerySchema } from './query-schemas.ts';

/** How the catalog is sent. */
export type CatalogMode = 'per-request' | 'buffered';

/** Options for {@link createCatalog}. */
export interface CatalogOptions {
  mode: CatalogMode;
  /** Items in the catalog (the first ones by id). Default 5000. */
  size?: number;
}

/** The route and what the app's writes call. */
export interface Catalog {
  handler: RequestHandler;
  /** Drops the cached items and bytes; the next request rebuilds them. */
  invalidate(): void;
}

interface Encoded {
  body: Buffer;
  etag: string;
}

/** Builds the catalog route over `store`. */
export function createCatalog(store: Pick<ItemsStore, 'list'>, options: CatalogOptions): Catalog {
  const size = options.size ?? 5000;
  let items: Item[] | undefined;
  let encoded: Encoded | undefined;
  // Bumped by every write, so a rebuild that awaited across a write is not kept.
  let version = 0;

  const load = async (): Promise<Item[]> => {
    const at = version;
    const loaded = items ?? (await store.list({ limit: size }));
    if (at === version) items = loaded;
    return loaded;
  };

  const encode = async (): Promise<Encoded> => {
    if (encoded) return encoded;
    const at = version;
    const body = Buffer.from(JSON.stringify({ items: await load() }));
    // A strong validator: these exact bytes. Hashed once per version, not per request.
    const next = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    if (at === version) encoded = next;
    return next;
  };

  const perRequest: RequestHandler = async (req, res) => {
    parseOr400(catalogQuerySchema, req.query, 'query');
    res.set('Cache-Control', 'no-cache');
    // LESSON: JSON.stringify of 5000 objects on every request, then Express hashes the
    // ~1 MB result again for its weak ETag, all on the event loop.
    res.json({ items: await load() });
  };

  const buffered: RequestHandler = async (req, res) => {
    parseOr400(catalogQuerySchema, req.query, 'query');
    const { body, etag } = await encode();
    res.set('Cache-Control', 'no-cache');
    res.set('ETag', etag);
    // LESSON: the same bytes for every request until a write; with the ETag already set,
    // Express neither hashes the body nor re-encodes it, and answers 304 when it matches.
    res.type('application/json').send(body);
  };

  return {
    handler: options.mode === 'buffered' ? buffered : perRequest,
    invalidate: () => {
      version++;
      items = undefined;
      encoded = undefined;
    },
  };
}
