/**
 * A loopback port nothing listens on right now, for the pm2 daemon's app (pm2 cannot report a
 * port-0 choice back). Picked below Linux's ephemeral range (32768–60999): a port the kernel
 * hands out for `listen(0)` or an outgoing connection could be taken by anything else on the
 * machine in the seconds between this check and pm2's workers binding it.
 */
import { createServer } from 'node:net';

function tryPort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (await tryPort(port)) return port;
  }
  throw new Error('no free port between 20000 and 30000');
}
