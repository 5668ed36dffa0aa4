/**
 * Absolute paths of this lesson's server entry points, for benches and profilers in other
 * lessons (`spawnServer(entries.express)`).
 */
import { fileURLToPath } from 'node:url';

// fileURLToPath, not URL.pathname: a pathname keeps percent-escapes (a checkout in
// "my course/" gives "my%20course/"), which is not a path the file system knows.
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** One entry file per variant; each serves GET /index on PORT (3000 by default). */
export const entries = {
  /** `express()` + `res.json()` (what `npm start` in lessons/01-http runs). */
  express: here('./server.ts'),
  /** Express without ETag, pre-encoded body via res.end. */
  expressLean: here('./server-express-lean.ts'),
  /** The course's createApp (request id, metrics, body parser, error handler). */
  expressCourse: here('./server-express-course.ts'),
  /** Bare node:http, body encoded once at start-up. */
  http: here('./server-http.ts'),
  /** Bare node:http, the JSON string serialized once. */
  httpString: here('./server-http-string.ts'),
  /** Bare node:http, JSON.stringify per request. */
  httpStringify: here('./server-http-stringify.ts'),
} as const;
