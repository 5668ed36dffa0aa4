/**
 * The hot path of the course's main service: `GET /items/:id` answered from the cache before
 * Express sees the request, with everything the Express path promises for that answer.
 *
 * Lesson 07's attribution (`npm run bench -- --part hit`) shows where a cache hit's time went:
 * Express's router and response helpers cost several times the cache lookup, serialization and
 * hashing together. A hit needs none of them: the cache holds the body and its ETag
 * (items/encoded-item.ts). So a plain function in front of the app answers exactly the requests
 * that are a simple cached read, and hands every other request, unchanged, to Express.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { EncodedItem } from '../items/encoded-item.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { requestIdFor } from './request-id.ts';

/** Where the hot path looks for a hit: never loads (a miss goes to Express, which loads). */
export interface EncodedItemCache {
  peekEncoded(id: number): EncodedItem | undefined;
}

/** Options for {@link withHotItemReads}. */
export interface HotItemReadsOptions {
  /** The cache the app's store reads through (the same object, so a write's invalidation applies to both paths). */
  cache: EncodedItemCache;
  /** The app's metrics: a hit is counted there as the Express path counts its requests. */
  metrics?: Metrics;
  /** Constant headers the app adds to every response (lesson 11's `X-Worker-Pid`). */
  headers?: Readonly<Record<string, string>>;
}

const prefix = '/items/';
/** The longest id parseId accepts: 15 digits, no leading zero. */
const maxIdDigits = 15;

/**
 * The id in `url` when it is exactly `/items/<id>` with an id parseId would accept (digits,
 * no leading zero, no query string, nothing after); otherwise 0. Anything else goes to Express,
 * which validates it and answers as it always has.
 */
export function hotItemId(url: string): number {
  const length = url.length - prefix.length;
  if (length < 1 || length > maxIdDigits || !url.startsWith(prefix)) return 0;
  let id = 0;
  for (let i = prefix.length; i < url.length; i++) {
    const digit = url.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9 || (digit === 0 && id === 0)) return 0;
    id = id * 10 + digit;
  }
  return id;
}

/**
 * True when Express could answer this request differently from a plain 200 with the cached
 * body: a conditional GET (Express answers a matching If-None-Match with 304), or a GET that
 * carries a body (the app's JSON parser reads it and may answer 400/413/415).
 */
function needsTheApp(req: IncomingMessage): boolean {
  const headers = req.headers;
  return headers['if-none-match'] !== undefined
    || headers['transfer-encoding'] !== undefined
    || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/**
 * Wraps `app` (the course's Express app) with a hot path for cached `GET /items/:id`.
 *
 * A hit gets what the Express path sends for it: the same body bytes, Content-Type,
 * Content-Length, ETag, X-Request-Id (an incoming well-formed one kept) and `headers`, and is
 * counted in `metrics` with its status and duration. Every other request (a miss, another
 * route or method, a conditional or odd request) goes to `app` untouched.
 */
export function withHotItemReads(app: RequestListener, options: HotItemReadsOptions): RequestListener {
  const { cache, metrics } = options;
  const extra = Object.entries(options.headers ?? {});
  return (req: IncomingMessage, res: ServerResponse) => {
    // LESSON: a cheap test first, so every request the hot path does not take pays next to nothing.
    const id = req.method === 'GET' ? hotItemId(req.url ?? '') : 0;
    const entry = id > 0 && !needsTheApp(req) ? cache.peekEncoded(id) : undefined;
    if (!entry) {
      app(req, res);
      return;
    }
    const started = metrics ? performance.now() : 0;
    res.setHeader('X-Request-Id', requestIdFor(req.headers['x-request-id']));
    for (const [name, value] of extra) res.setHeader(name, value);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', entry.body.length);
    res.setHeader('ETag', entry.etag);
    res.end(entry.body);
    // The write is handed to the socket by now; Express's metrics stop at 'finish', which for a
    // small response follows within the same turn of the loop.
    metrics?.recordRequest(200, (performance.now() - started) * 1e6);
  };
}
