/**
 * An item as a cache keeps it for the hot path: the object, its JSON bytes, and their ETag,
 * computed once when the item is loaded and dropped with it when a write invalidates it.
 *
 * A cache hit then serves bytes it already has: no JSON.stringify, no UTF-8 encoding, no SHA-1
 * per request. The body is byte for byte what `res.json(item)` sends, and the ETag is the one
 * Express would compute for it (its default weak ETag), so a client cannot tell the paths apart.
 */
import { createHash } from 'node:crypto';
import type { Item } from './item.ts';

/** An item with its response body and ETag. */
export interface EncodedItem {
  readonly item: Item;
  /** `JSON.stringify(item)` as UTF-8. */
  readonly body: Buffer;
  /** Express's default weak ETag of `body`. */
  readonly etag: string;
}

/**
 * Express's default ETag (the `etag` package, weak): `W/"<length in hex>-<SHA-1, base64, 27 chars>"`.
 * Computed here so a cached entry carries it; a test checks it against Express's own header.
 */
export function weakEtag(body: Buffer): string {
  if (body.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `W/"${body.length.toString(16)}-${createHash('sha1').update(body).digest('base64').slice(0, 27)}"`;
}

/** Encodes `item` once: its JSON body and that body's ETag. */
export function encodeItem(item: Item): EncodedItem {
  const body = Buffer.from(JSON.stringify(item));
  return { item, body, etag: weakEtag(body) };
}
