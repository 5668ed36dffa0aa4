/**
 * A port nothing listens on right now, for a server that cannot be given port 0: several
 * processes that must share one port (lesson 11's SO_REUSEPORT workers), a pm2 daemon that
 * cannot report a port-0 choice back (lesson 12), engines and a proxy configured before they
 * start (lesson 13). Tests of a single server use port 0 instead.
 *
 * Another process can still take the port between this check and the bind: callers that
 * cannot retry pick from below the ephemeral range (`belowEphemeral`), where the kernel hands
 * out no port for `listen(0)` or an outgoing connection.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';

/** Options for {@link freePort}. */
export interface FreePortOptions {
  /** Interfaces the port must be free on (default 127.0.0.1). */
  hosts?: readonly string[];
  /**
   * Pick at random from 20000–29999, below Linux's ephemeral range (32768–60999), instead of
   * letting the OS choose (which it does from that range).
   */
  belowEphemeral?: boolean;
}

async function listenOn(port: number, host: string): Promise<Server | undefined> {
  const server = createServer();
  server.listen(port, host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => { throw error; })]);
    return server;
  } catch {
    server.close();
    return undefined;
  }
}

/** A port free on every host of `options.hosts` now. */
export async function freePort(options: FreePortOptions = {}): Promise<number> {
  const [first = '127.0.0.1', ...rest] = options.hosts ?? ['127.0.0.1'];
  for (let attempt = 0; attempt < 100; attempt++) {
    const wanted = options.belowEphemeral ? 20_000 + Math.floor(Math.random() * 10_000) : 0;
    const probe = await listenOn(wanted, first);
    if (!probe) continue;
    const port = (probe.address() as AddressInfo).port;
    const others = await Promise.all(rest.map((host) => listenOn(port, host)));
    await Promise.all([probe, ...others].map((s) => s && new Promise((resolve) => s.close(resolve))));
    if (others.every(Boolean)) return port;
  }
  throw new Error(`no port free on all of ${[first, ...rest].join(', ')} after 100 tries`);
}
