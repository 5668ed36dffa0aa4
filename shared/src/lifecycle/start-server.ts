/**
 * Listening and graceful closing, for tests and entry points alike.
 */
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options for {@link startServer}. */
export interface StartOptions {
  /** Port; 0 (the default) lets the OS choose, as tests do. */
  port?: number;
  /** Interface; loopback by default. */
  host?: string;
  /** Runs after the server has stopped (close the database here). */
  onClose?: () => void | Promise<void>;
  /** After this many ms of draining, remaining connections are cut (default 10000). */
  shutdownTimeoutMs?: number;
}

/** A listening server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  port: number;
  server: Server;
  /**
   * Stops accepting, lets in-flight requests finish (each answered with
   * `Connection: close`), closes idle keep-alive sockets, then runs `onClose`.
   * Resolves `{ timedOut: true }` if connections had to be cut at the deadline.
   * Safe to call twice; both calls get the same promise.
   */
  close(): Promise<{ timedOut: boolean }>;
}

/**
 * Starts an HTTP server for an Express app (or any request listener) and resolves once it
 * listens.
 */
export async function startServer(handler: RequestListener | Server, options: StartOptions = {}): Promise<RunningServer> {
  const server = typeof handler === 'function' ? createServer(handler) : handler;
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<{ timedOut: boolean }> | undefined;

  // prependListener: runs before the app, so even a response sent synchronously is tracked.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing && !res.headersSent) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.on('close', () => {
      inFlight.delete(res);
      // The socket becomes idle once the response is done; close it if we are draining.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;

  const close = (): Promise<{ timedOut: boolean }> => {
    closing ??= (async () => {
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), options.shutdownTimeoutMs ?? 10_000);
        timer.unref();
      });
      const outcome = await Promise.race([stopped.then(() => 'done' as const), deadline]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        server.closeAllConnections();
        await stopped;
      }
      await options.onClose?.();
      return { timedOut: outcome === 'timeout' };
    })();
    return closing;
  };

  return { url: `http://${host}:${port}`, port, server, close };
}
