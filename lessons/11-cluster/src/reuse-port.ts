/**
 * SO_REUSEPORT, the other way to put N processes on one port: each process opens its own
 * listening socket with `reusePort: true`, and the Linux kernel spreads new connections among
 * them by a hash of the connection's addresses and ports. No primary sits in the path of a
 * connection (cluster's round-robin passes every one through the primary and over IPC).
 *
 * The option exists from Node 22.12 and 23.1 (`server.listen({ reusePort })`); older Node
 * ignores it, and the second process fails with EADDRINUSE. Linux 3.9+, and some BSDs.
 */
import { createServer, type Server } from 'node:net';

/** Node lines that accept `reusePort`, per the Node changelogs (pinned by test/reuse-port.test.ts). */
export function nodeHasReusePort(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/**
 * Tries it: two listening sockets on one port, both with `reusePort`. True when the second
 * one listens too (the running Node and kernel support it).
 */
export async function reusePortWorks(host = '127.0.0.1'): Promise<boolean> {
  const listen = (server: Server, port: number): Promise<void> => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, reusePort: true }, () => resolve());
  });
  const first = createServer();
  const second = createServer();
  try {
    await listen(first, 0);
    const { port } = first.address() as { port: number };
    await listen(second, port);
    return true;
  } catch {
    return false;
  } finally {
    first.close();
    second.close();
  }
}
