/**
 * Buffer over string on the hot path: the same JSON body, built and encoded per request, or
 * encoded once at start-up and written as bytes.
 *
 * Both handlers write with `res.end` and set the same headers, so they differ by one idea.
 * (`res.send`/`res.json` would also hash the body for an ETag on every request, for both.)
 */
import type { RequestHandler } from 'express';
import { categories } from '@course/shared';

/** The body both routes serve: a small, static catalogue page (~1.5 KB of JSON). */
export function catalogueBody(): unknown {
  return {
    categories: categories.map((name, i) => ({
      name,
      path: `/items?category=${name}`,
      description: `Everything in ${name}: new arrivals, bestsellers and clearance`,
      sort: i,
    })),
    currency: 'EUR',
    version: 1,
  };
}

/** Baseline: JSON.stringify and UTF-8 encoding on every request. */
export function helloString(body: unknown = catalogueBody()): RequestHandler {
  return (_req, res) => {
    // LESSON: serialised and encoded again for every request, though it never changes
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
}

/** Variant: encoded once; each request writes the same bytes. */
export function helloBuffer(body: unknown = catalogueBody()): RequestHandler {
  // LESSON: the work is done once, at start-up; the socket gets the bytes as they are
  const bytes = Buffer.from(JSON.stringify(body));
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
    res.end(bytes);
  };
}
