/**
 * A drain that keep-alive clients survive.
 *
 * A keep-alive client keeps its sockets open between requests and may write its next request
 * on one at any moment. Closing such a socket the instant the server starts draining (what
 * `http.Server#close()` does since Node 19, through `closeIdleConnections()`) races that
 * client: its request meets a closed socket and fails with ECONNRESET or "socket hang up",
 * and the client cannot tell whether a POST was applied. So while draining:
 *
 * - the listening socket closes first (no new connections);
 * - a request that arrives on an existing socket is served, answered with `Connection: close`,
 *   and the socket closes after that response: the client was told, so it will not reuse it;
 * - a socket with no request in progress is closed only after it stayed idle for a grace
 *   period: a client that is still using it sends within the grace period and gets the
 *   `Connection: close` answer above; one that does not is most likely done with it;
 * - at the deadline every remaining socket is cut.
 *
 * What is left is one race HTTP cannot remove: a client that writes on a socket at the very
 * instant the server closes it after the grace period. HTTP lets clients retry idempotent
 * requests (GET, PUT, DELETE) that failed that way (RFC 9110 §9.2.2); Node's and undici's
 * agents do not retry by themselves.
 */
import type { Socket } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Stops accepting through http.Server#close, without the part of it that races keep-alive
 * clients.
 *
 * LESSON: http.Server#close calls `closeIdleConnections()`, which closes every idle keep-alive
 * socket at once, racing clients about to reuse them. It also stops the server's
 * connections-check interval (every `connectionsCheckingInterval`, 30 s by default), and only
 * close does that: stopping the listener with net.Server's close instead left that interval
 * running for every closed server, holding the server and its app in memory. So close runs,
 * with `closeIdleConnections` shadowed for that one call (the drain closes idle sockets itself,
 * after their grace period).
 */
function closeListener(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const shadowed = Object.hasOwn(server, 'closeIdleConnections');
    const own = server.closeIdleConnections;
    server.closeIdleConnections = () => {};
    try {
      server.close(() => resolve());
    } finally {
      if (shadowed) server.closeIdleConnections = own;
      else delete (server as Partial<Pick<Server, 'closeIdleConnections'>>).closeIdleConnections;
    }
  });
}

/** Per-socket bookkeeping. */
interface SocketState {
  /** Requests received and not yet answered (more than one only with pipelining). */
  active: Set<ServerResponse>;
  idleTimer?: NodeJS.Timeout;
}

/** What {@link trackConnections} gives back to the server's close(). */
export interface Drainer {
  /**
   * Stops accepting, marks in-flight responses `Connection: close`, and starts the grace
   * period of idle sockets. Resolves once the last socket has closed.
   */
  drain(idleGraceMs: number): Promise<void>;
  /** Destroys every remaining socket (the deadline passed). */
  cutAll(): void;
  /** Sockets open now. */
  openSockets(): number;
}

/**
 * Tracks the server's sockets and requests from now on. Call before `listen()`; the
 * `request` listener is prepended so even a response sent synchronously by the app is seen.
 */
export function trackConnections(server: Server): Drainer {
  const sockets = new Map<Socket, SocketState>();
  let graceMs: number | undefined; // set when draining starts
  let onEmpty: (() => void) | undefined;

  const closeWhenIdle = (socket: Socket, state: SocketState): void => {
    clearTimeout(state.idleTimer);
    if (graceMs === undefined || state.active.size > 0) return;
    state.idleTimer = setTimeout(() => {
      if (state.active.size === 0) socket.destroy();
    }, graceMs);
    state.idleTimer.unref();
  };

  server.on('connection', (socket: Socket) => {
    const state: SocketState = { active: new Set() };
    sockets.set(socket, state);
    socket.once('close', () => {
      clearTimeout(state.idleTimer);
      sockets.delete(socket);
      if (sockets.size === 0) onEmpty?.();
    });
    // Accepted after draining began (a cluster worker can still receive one that was in the
    // primary's pipe): it gets the same grace as any idle socket.
    closeWhenIdle(socket, state);
  });

  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const state = sockets.get(req.socket);
    if (graceMs !== undefined && !res.headersSent) res.setHeader('Connection', 'close');
    if (!state) return;
    state.active.add(res);
    clearTimeout(state.idleTimer);
    res.once('close', () => {
      state.active.delete(res);
      closeWhenIdle(req.socket, state);
    });
  });

  return {
    openSockets: () => sockets.size,
    drain(idleGraceMs) {
      graceMs = idleGraceMs;
      const drained = new Promise<void>((resolve) => {
        onEmpty = resolve;
        if (sockets.size === 0) resolve();
      });
      const stopped = server.listening ? closeListener(server) : Promise.resolve();
      for (const [socket, state] of sockets) {
        for (const res of state.active) if (!res.headersSent) res.setHeader('Connection', 'close');
        closeWhenIdle(socket, state);
      }
      return Promise.all([stopped, drained]).then(() => {});
    },
    cutAll() {
      for (const socket of sockets.keys()) socket.destroy();
    },
  };
}
