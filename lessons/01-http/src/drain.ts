/**
 * A drain that keep-alive clients survive, written out once by hand. Every later lesson gets
 * the same algorithm, with more tests behind it, from `serve()` in @course/shared
 * (`shared/src/lifecycle/drain.ts`).
 */
import { Server as NetServer, type Socket } from 'node:net';
import type { Server, ServerResponse } from 'node:http';

/** Options for {@link Drain.drain}. */
export interface DrainOptions {
  /** A socket with no request in progress is closed after it stayed idle this long (ms). */
  idleGraceMs: number;
  /** After this long (ms) every remaining socket is cut. */
  deadlineMs: number;
}

/** What {@link trackForDrain} returns. */
export interface Drain {
  /** Stops accepting and drains; resolves `{ timedOut: true }` if sockets had to be cut. */
  drain(options: DrainOptions): Promise<{ timedOut: boolean }>;
  /** Requests received and not yet answered. */
  inFlight(): number;
}

/** Tracks the server's sockets and responses; call before `listen()`. */
export function trackForDrain(server: Server): Drain {
  const active = new Map<Socket, Set<ServerResponse>>(); // socket -> responses in progress
  const timers = new Map<Socket, NodeJS.Timeout>();
  let graceMs: number | undefined; // set once draining starts
  let onEmpty: (() => void) | undefined;

  const closeWhenIdle = (socket: Socket): void => {
    clearTimeout(timers.get(socket));
    if (graceMs === undefined || (active.get(socket)?.size ?? 0) > 0) return;
    // LESSON: not at once. A client still using this socket sends within the grace period and
    // gets a `Connection: close` answer; one that sends nothing is done with it.
    const timer = setTimeout(() => socket.destroy(), graceMs);
    timer.unref();
    timers.set(socket, timer);
  };

  server.on('connection', (socket: Socket) => {
    active.set(socket, new Set());
    socket.once('close', () => {
      clearTimeout(timers.get(socket));
      timers.delete(socket);
      active.delete(socket);
      if (active.size === 0) onEmpty?.();
    });
    closeWhenIdle(socket);
  });

  // Prepended, so a response the handler sends synchronously is still marked.
  server.prependListener('request', (req, res) => {
    // LESSON: while draining, every response tells the client this connection ends after it.
    if (graceMs !== undefined) res.setHeader('Connection', 'close');
    const responses = active.get(req.socket);
    if (!responses) return;
    responses.add(res);
    clearTimeout(timers.get(req.socket));
    res.once('close', () => {
      responses.delete(res);
      closeWhenIdle(req.socket);
    });
  });

  return {
    inFlight: () => [...active.values()].reduce((sum, responses) => sum + responses.size, 0),
    async drain({ idleGraceMs, deadlineMs }) {
      graceMs = Math.min(idleGraceMs, deadlineMs);
      const empty = new Promise<void>((resolve) => {
        onEmpty = resolve;
        if (active.size === 0) resolve();
      });
      // LESSON: stop accepting and nothing else. net.Server's close does only that;
      // http.Server#close would also close every idle keep-alive socket at once (the race
      // drain-naive.ts shows).
      if (server.listening) NetServer.prototype.close.call(server);
      for (const [socket, responses] of active) {
        for (const res of responses) if (!res.headersSent) res.setHeader('Connection', 'close');
        closeWhenIdle(socket);
      }
      // LESSON: a deadline, so one stuck request cannot keep the process alive forever.
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deadlineMs);
      });
      const outcome = await Promise.race([empty.then(() => 'drained' as const), deadline]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        for (const socket of active.keys()) socket.destroy();
        await empty;
      }
      // Every socket is gone, so http.Server#close has nothing left to race: it only clears
      // the timer that checks connections for request timeouts (it would keep running).
      server.close();
      return { timedOut: outcome === 'timeout' };
    },
  };
}
