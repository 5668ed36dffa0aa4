/**
 * Listening and graceful closing, for tests and entry points alike.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrorsAsJson, requireHost } from './client-errors.ts';
import { trackConnections } from './drain.ts';
import { defaultMaxConnections } from '../config.ts';

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
  /**
   * While draining, a keep-alive socket with no request in progress is closed once it has been
   * idle this long (ms; default 1000, at most the shutdown deadline). A client still using it
   * sends its next request sooner, and that request is answered with `Connection: close`.
   */
  idleGraceMs?: number;
  /**
   * SO_REUSEPORT: several processes listen on the same port and the kernel spreads new
   * connections among them (`server.listen({ reusePort })`, Node 22.12+ and 23.1+ on Linux;
   * older Node ignores the option and the second process gets EADDRINUSE).
   */
  reusePort?: boolean;
  /**
   * Connections held open at once (default {@link defaultMaxConnections}, `MAX_CONNECTIONS`
   * through `loadConfig`). One more is closed as soon as it is accepted, before it can send
   * anything; the connections already open keep being served.
   */
  maxConnections?: number;
}

/** A listening server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  port: number;
  server: Server;
  /**
   * Stops accepting new connections, then drains: every request already sent or sent later
   * on an open socket is served with `Connection: close`; a socket idle for `idleGraceMs` is
   * closed; then `onClose` runs. Resolves `{ timedOut: true }` if sockets had to be cut at
   * the deadline. Safe to call twice; both calls get the same promise.
   */
  close(): Promise<{ timedOut: boolean }>;
}

/**
 * Starts an HTTP server for an Express app (or any request listener) and resolves once it
 * listens. Parser-level errors (bad framing, header too large, unknown Expect, missing Host)
 * are answered in the course's JSON error shape.
 */
export async function startServer(handler: RequestListener | Server, options: StartOptions = {}): Promise<RunningServer> {
  const server = typeof handler === 'function' ? createServer({ requireHostHeader: false }, requireHost(handler)) : handler;
  answerClientErrorsAsJson(server);
  // Every connection holds a file descriptor and memory for as long as the client likes: with
  // no cap a client can open them until the process runs out of descriptors (EMFILE), and then
  // nobody is served. A server given with its own cap keeps it.
  // (Node leaves it unset, or Infinity, by default: Number.isFinite is false for both.)
  if (options.maxConnections !== undefined || !Number.isFinite(server.maxConnections)) {
    server.maxConnections = options.maxConnections ?? defaultMaxConnections;
  }
  const connections = trackConnections(server);
  let closing: Promise<{ timedOut: boolean }> | undefined;

  // A server that listens already is kept as it is (lesson 11's worker listens on a socket of
  // its own and also serves connections its primary passes over IPC).
  if (!server.listening) await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1', ...(options.reusePort ? { reusePort: true } : {}) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;

  const close = (): Promise<{ timedOut: boolean }> => {
    closing ??= (async () => {
      const deadlineMs = options.shutdownTimeoutMs ?? 10_000;
      const drained = connections.drain(Math.min(options.idleGraceMs ?? 1000, deadlineMs));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deadlineMs);
        timer.unref();
      });
      const outcome = await Promise.race([drained.then(() => 'done' as const), deadline]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        connections.cutAll();
        await drained;
      }
      await options.onClose?.();
      return { timedOut: outcome === 'timeout' };
    })();
    return closing;
  };

  return { url: `http://${host}:${port}`, port, server, close };
}
