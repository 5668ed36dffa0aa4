/**
 * The shutdown most examples show, and the race it has. Kept so a test can show the race;
 * `server-http.ts` drains with {@link ./drain.ts} instead.
 */
import type { Server } from 'node:http';

/**
 * Stops accepting and closes every idle keep-alive socket at once (`server.close()` does the
 * same by itself since Node 19). Resolves once every connection has ended.
 */
export function drainNaively(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // LESSON: the race. "Idle" means the server has not read a request yet, not that the client
  // will not send one: a keep-alive client may have written its next request a moment ago. That
  // request meets a destroyed socket (unread bytes make the kernel answer with a reset), and the
  // client cannot tell whether a POST was applied.
  server.closeIdleConnections();
  return closed;
}
