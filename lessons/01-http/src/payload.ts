/**
 * The body every variant of GET /index answers with, so that the variants differ only in
 * how they get it onto the wire.
 */

/** What GET /index returns: a small, realistic JSON document (about 200 bytes). */
export const indexPayload = {
  service: 'node-perf-lessons',
  lesson: '01-http',
  message: 'Hello from /index',
  links: { items: '/items', health: '/health', metrics: '/metrics' },
  tags: ['http', 'keep-alive', 'content-length'],
} as const;

/** The one Content-Type every variant sends. */
export const jsonContentType = 'application/json; charset=utf-8';

/** {@link indexPayload} serialized once when the module loads. */
export const indexJson: string = JSON.stringify(indexPayload);

// LESSON: encoded once at start-up; every request then writes the same bytes.
/** {@link indexPayload} as UTF-8 bytes, encoded once when the module loads. */
export const indexBody: Buffer = Buffer.from(indexJson);
