/**
 * A version fact, pinned: `server.listen({ reusePort: true })` (SO_REUSEPORT) exists from
 * Node 22.12 and 23.1; on Node 20 the option is ignored and a second socket on the port fails.
 */
import { describe, expect, it } from 'vitest';
import { nodeHasReusePort, reusePortWorks } from '../src/reuse-port.ts';

describe('reusePort on the running Node', () => {
  it('is available exactly on the lines the README table says', () => {
    expect(['20.20.2', '22.11.0', '22.12.0', '22.23.5', '23.0.0', '23.1.0', '24.22.3', '26.12.1'].map((v) => nodeHasReusePort(v)))
      .toEqual([false, false, true, true, false, true, true, true]);
  });

  it(`lets two sockets listen on one port only where the table says so (Node ${process.versions.node})`, async () => {
    expect(await reusePortWorks()).toBe(nodeHasReusePort());
  });
});
