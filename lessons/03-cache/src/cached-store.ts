/**
 * A read-through cache in front of the items repository, built on lru-cache.
 *
 * Reads (`get`, `list`, `categoryStats`) go through `LRUCache.fetch`: a hit returns the cached
 * value, a miss runs the load once and stores it, and concurrent misses for the same key share
 * that one load. Writes go straight to the repository, then drop what they touched.
 */
import { LRUCache } from 'lru-cache';
import { encodeItem, type CategoryStat, type EncodedItem, type Item, type ItemPatch, type ItemsRepository, type ItemsStore, type ListQuery, type NewItem } from '@course/shared';

/** What changed, so every cache holding it can drop it. */
export type Invalidation = { kind: 'item'; id: number } | { kind: 'all' };

/** Counters of one cached store, as `/metrics` shows them under `custom.cache`. */
export interface CacheStats {
  /** Reads answered from the cache. */
  hits: number;
  /** Reads that were not (including those that joined a load already in flight). */
  misses: number;
  /** Entries held now (items, pages and aggregates together). */
  size: number;
  /** Estimated bytes held now, by {@link approximateBytes}, items and views together. */
  bytes: number;
  /** Loads from the repository actually run. */
  fetches: number;
}

/** The items store with a cache: the router uses it like the repository. */
export interface CachedStore extends ItemsStore {
  /** The item as cached: object, JSON bytes and ETag, encoded once on the miss that loaded it. */
  getEncoded(id: number): Promise<EncodedItem | undefined>;
  /** The cached entry if there is one now (counted as a hit), else undefined; never loads. */
  peekEncoded(id: number): EncodedItem | undefined;
  /** Drops cached entries a write touched. Called locally by every write; lesson 11 also calls it for writes made in other worker processes. */
  invalidate(change: Invalidation): void;
  stats(): CacheStats;
}

/** Options for {@link createCachedStore}. */
export interface CachedStoreOptions {
  /**
   * Estimated bytes per cache (items by id; pages and aggregates), the bound that matters: a
   * page holds up to 100 items and its key is client-chosen (offset, afterId, price bounds),
   * so an entry-count bound alone lets a client walking `?offset=` fill hundreds of MB.
   * Default 16 MiB per cache.
   */
  maxBytes?: number;
  /** Entries per cache, a second bound (whichever is reached first evicts). Default 10 000. */
  max?: number;
  /** Milliseconds an entry stays fresh: the bound on staleness for writes this process never hears about. Default 30 000. */
  ttlMs?: number;
  /** Injectable clock, passed to lru-cache's `perf` option (tests advance it by hand). */
  perf?: { now(): number };
  /**
   * Called after each local write, once the local cache has been invalidated: lesson 11
   * broadcasts `change` to the other workers. Never called from {@link CachedStore.invalidate},
   * so a change received from elsewhere is not echoed back.
   */
  onWrite?: (change: Invalidation) => void;
}

/** Aggregates and pages: every write may change them, so every write drops them all. */
type View = CategoryStat[] | Item[];
/** The load a miss runs, passed to `fetch` as its context. */
type Load<V> = () => V | undefined | Promise<V | undefined>;

/**
 * What an entry is charged against `maxBytes`: its JSON length plus its key's, in bytes. An
 * estimate, and a deliberate one: it costs one JSON.stringify per miss (never per hit), grows
 * exactly with what a client can make large (items per page, text lengths), and V8's objects
 * take a multiple of their JSON (object headers, property slots): the README's walk measured the
 * heap at 1.6 to 1.7 times this estimate (Node 26), so set `maxBytes` about that factor below
 * the memory you mean to give the cache.
 */
export function approximateBytes(value: unknown, key: unknown): number {
  return Buffer.byteLength(JSON.stringify(value)) + Buffer.byteLength(String(key));
}

/** A stable key for a list query, whatever order its properties were set in. */
function listKey(query: ListQuery): string {
  const entries = Object.entries(query).filter(([, value]) => value !== undefined).sort(([a], [b]) => a.localeCompare(b));
  return `list:${JSON.stringify(entries)}`;
}

/**
 * Wraps `repo` with a read-through cache.
 *
 * `repo` is the SQLite {@link ItemsRepository} (synchronous) in the course; any store with
 * the same methods works, including an asynchronous one, which is where coalescing matters.
 */
export function createCachedStore(repo: ItemsRepository | ItemsStore, options: CachedStoreOptions = {}): CachedStore {
  let hits = 0;
  let misses = 0;
  let fetches = 0;

  function makeCache<K extends {}, V extends {}>(size: (value: V, key: K) => number): LRUCache<K, V, Load<V>> {
    return new LRUCache<K, V, Load<V>>({
      max: options.max ?? 10_000,
      // LESSON: bounded by (estimated) bytes, not only by entries: a 100-item page weighs as
      // much as 100 single items, and clients choose how many different pages exist.
      maxSize: options.maxBytes ?? 16 * 1024 * 1024,
      sizeCalculation: size,
      ttl: options.ttlMs ?? 30_000,
      perf: options.perf,
      // lru-cache memoises the clock for `ttlResolution` ms of real time; with an injected
      // clock that would hide the test's own advances, so read it every time.
      ttlResolution: options.perf ? 0 : 1,
      // LESSON: fetch() with a fetchMethod is the coalescing: a second fetch of a key whose
      // load is in flight gets the same promise instead of starting another query.
      // `async` matters: lru-cache 11.5 never settles a fetch whose fetchMethod returns
      // `undefined` synchronously (an unknown id here), and every later fetch of that key
      // would join the stuck promise. A promise of `undefined` settles, and stores nothing.
      fetchMethod: async (_key, _stale, { context }) => {
        fetches++;
        return context();
      },
      // A write can delete a key while its load is in flight (only with an asynchronous
      // source). The waiting readers asked before the write, so they still get the loaded
      // value; lru-cache does not store it, because the entry it belonged to is gone.
      ignoreFetchAbort: true,
    });
  }

  // LESSON: an item is cached as the bytes a hit sends (and their ETag), so a hit serializes
  // and hashes nothing. Its size is those bytes plus the key: what approximateBytes would say.
  const items = makeCache<number, EncodedItem>((entry, id) => entry.body.length + Buffer.byteLength(String(id)));
  const views = makeCache<string, View>(approximateBytes);

  async function read<K extends {}, V extends {}>(cache: LRUCache<K, V, Load<V>>, key: K, load: Load<V>): Promise<V | undefined> {
    const status: LRUCache.Status<K, V, Load<V>> = {};
    const value = await cache.fetch(key, { context: load, status });
    if (status.fetch === 'hit') hits++;
    else misses++;
    return value;
  }

  function getEncoded(id: number): Promise<EncodedItem | undefined> {
    return read(items, id, async () => {
      const item = await repo.get(id);
      return item && encodeItem(item);
    });
  }

  function invalidate(change: Invalidation): void {
    if (change.kind === 'item') items.delete(change.id);
    else items.clear();
    // Any write can move an aggregate or shift a page: cheaper to reload them than to work
    // out which ones a given write touched.
    views.clear();
  }

  function written(change: Invalidation): void {
    invalidate(change);
    options.onWrite?.(change);
  }

  return {
    // Unknown ids are not cached (fetchMethod returning undefined stores nothing): a flood
    // of 404s goes to the database each time. Lesson exercise: cache the misses too.
    get: async (id) => (await getEncoded(id))?.item,
    getEncoded,
    peekEncoded: (id) => {
      const entry = items.get(id);
      if (entry) hits++;
      return entry;
    },
    list: async (query) => (await read(views, listKey(query), () => repo.list(query))) as Item[],
    categoryStats: async () => (await read(views, 'stats', () => repo.categoryStats())) as CategoryStat[],
    create: async (input: NewItem) => {
      const item = await repo.create(input);
      written({ kind: 'item', id: item.id });
      return item;
    },
    update: async (id: number, patch: ItemPatch) => {
      const item = await repo.update(id, patch);
      if (item) written({ kind: 'item', id });
      return item;
    },
    delete: async (id: number) => {
      const deleted = await repo.delete(id);
      if (deleted) written({ kind: 'item', id });
      return deleted;
    },
    invalidate,
    stats: () => ({ hits, misses, size: items.size + views.size, bytes: items.calculatedSize + views.calculatedSize, fetches }),
  };
}
