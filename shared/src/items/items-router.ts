/**
 * The course's items API: CRUD on /items plus one deliberately expensive aggregate.
 *
 * The router depends on an {@link ItemsStore}, not on SQLite, so a lesson can hand it a
 * decorated store (lesson 03's cache, lesson 11's coherent cache) and keep every route.
 */
import { Router, type Response } from 'express';
import { notFound } from '../http/errors.ts';
import type { EncodedItem } from './encoded-item.ts';
import type { CategoryStat, Item, ItemPatch, NewItem } from './item.ts';
import type { ListQuery } from './items-repository.ts';
import { idSchema, itemPatchSchema, listQuerySchema, newItemSchema, parseOr400 } from './item-schemas.ts';

type Awaitable<T> = T | Promise<T>;

/** What the router needs; the SQLite repository satisfies it, and so can a caching wrapper. */
export interface ItemsStore {
  get(id: number): Awaitable<Item | undefined>;
  list(query: ListQuery): Awaitable<Item[]>;
  create(input: NewItem): Awaitable<Item>;
  update(id: number, patch: ItemPatch): Awaitable<Item | undefined>;
  delete(id: number): Awaitable<boolean>;
  categoryStats(): Awaitable<CategoryStat[]>;
  /**
   * Optional, for a store that keeps items encoded (lesson 03's cache): the item with its JSON
   * bytes and ETag, loading and encoding it on a miss. `GET /:id` then sends those bytes.
   */
  getEncoded?(id: number): Awaitable<EncodedItem | undefined>;
  /**
   * Optional: the encoded item if it is cached now, else undefined; never loads. What the hot
   * path (http/hot-item-reads.ts) answers a hit from, synchronously.
   */
  peekEncoded?(id: number): EncodedItem | undefined;
}

/**
 * Sends an encoded item as `res.json(entry.item)` would, without serializing or hashing it:
 * the same body, Content-Type and (when the app's ETags are on) ETag, which Express's send()
 * keeps instead of hashing the body. A matching If-None-Match still gets its 304 there.
 */
export function sendEncoded(res: Response, entry: EncodedItem): void {
  // LESSON: the ETag was computed once, when the item was cached; Express only hashes a body
  // whose response has no ETag yet.
  // Only for Express's default weak ETag; with ETags off or another function, send() decides.
  const etagMode: unknown = res.app.get('etag');
  if (etagMode === 'weak' || etagMode === true) res.setHeader('ETag', entry.etag);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(entry.body);
}

/** What {@link idSchema} accepts: a positive decimal integer of at most 15 digits. */
const plainId = /^[1-9][0-9]{0,14}$/;

/** Parses and validates an `:id` path parameter (400 naming `id` when it is not an integer). */
export function parseId(raw: unknown): number {
  // LESSON: a valid id is checked by one regex; zod runs only to word the 400. A profile of a
  // cache hit through Express (lesson 07, `--part hit --profile`) put zod's parse of this
  // one-field schema among the largest self times of the request.
  if (typeof raw === 'string' && plainId.test(raw)) return Number(raw);
  return parseOr400(idSchema, raw, 'id');
}

/**
 * Routes, relative to where they are mounted (the course mounts them at `/items`):
 * `GET /` list, `GET /stats` aggregate, `GET /:id`, `POST /` (201), `PATCH /:id`, `DELETE /:id` (204).
 */
export function createItemsRouter(store: ItemsStore): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parseOr400(listQuerySchema, req.query, 'query');
    res.json({ items: await store.list(query) });
  });

  router.get('/stats', async (_req, res) => {
    res.json({ categories: await store.categoryStats() });
  });

  router.get('/:id', async (req, res) => {
    const id = parseId(req.params.id);
    if (store.getEncoded) {
      const entry = await store.getEncoded(id);
      if (!entry) throw notFound('Item');
      sendEncoded(res, entry);
      return;
    }
    const item = await store.get(id);
    if (!item) throw notFound('Item');
    res.json(item);
  });

  router.post('/', async (req, res) => {
    const input = parseOr400(newItemSchema, req.body);
    const item = await store.create(input);
    res.status(201).location(`${req.baseUrl}/${item.id}`).json(item);
  });

  router.patch('/:id', async (req, res) => {
    const id = parseId(req.params.id);
    const patch = parseOr400(itemPatchSchema, req.body);
    const item = await store.update(id, patch);
    if (!item) throw notFound('Item');
    res.json(item);
  });

  router.delete('/:id', async (req, res) => {
    const deleted = await store.delete(parseId(req.params.id));
    if (!deleted) throw notFound('Item');
    res.status(204).end();
  });

  return router;
}
