import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { requestJson, spawnServer, type ServerProcess } from '@course/shared/testing';
import { entries, indexPayload } from '../src/index.ts';

describe('entry files (what `pnpm start` and the bench run)', () => {
  let running: ServerProcess | undefined;
  afterEach(async () => {
    await running?.close(2000);
    running = undefined;
  });

  it.each(Object.entries(entries))('%s serves GET /index and exits 0 on SIGTERM', { timeout: 60_000 }, async (_name, entry) => {
    running = await spawnServer(entry);
    const res = await requestJson(`${running.url}/index`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(indexPayload);

    const exited = new Promise<number | null>((resolve) => running!.child.once('exit', (code) => resolve(code)));
    running.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  /** One GET over `agent`: status, Connection header, and whether the socket was reused. */
  const getOver = (url: string, agent: Agent): Promise<{ status: number; connection: string | undefined; reused: boolean; socketClosed: Promise<void> }> =>
    new Promise((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        res.resume();
        // Wrapped in an object: resolving with a bare promise would wait for it to settle.
        const socketClosed = new Promise<void>((closed) => (req.socket!.destroyed ? closed() : req.socket!.once('close', () => closed())));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reused: req.reusedSocket, socketClosed }));
      });
      req.on('error', reject);
      req.end();
    });

  /** Resolves once a new connection to `port` is refused: the server stopped accepting. */
  const refusesConnections = async (port: number): Promise<void> => {
    for (;;) {
      const accepted = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('connect', () => { socket.destroy(); resolve(true); });
        socket.on('error', () => resolve(false));
      });
      if (!accepted) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('the hand-wired node:http entry, draining, answers a keep-alive client\'s next request with Connection: close, then exits 0', { timeout: 60_000 }, async () => {
    // A long grace period, so the test does not depend on how fast this machine is.
    running = await spawnServer(entries.http, { env: { IDLE_GRACE_MS: '20000', SHUTDOWN_TIMEOUT_MS: '30000' } });
    const port = Number(new URL(running.url).port);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await getOver(`${running.url}/index`, agent);
      expect(first.connection).toBe('keep-alive');
      const exited = new Promise<number | null>((resolve) => running!.child.once('exit', (code) => resolve(code)));
      running.child.kill('SIGTERM');
      await refusesConnections(port); // draining has started

      // The idle socket is still open (server.close() + closeIdleConnections() would have
      // closed it at once): the next request on it is served and told the connection ends.
      const second = await getOver(`${running.url}/index`, agent);
      expect(second).toMatchObject({ status: 200, connection: 'close', reused: true });
      await second.socketClosed;
      expect(await exited).toBe(0);
    } finally {
      agent.destroy();
    }
  });

  it('the hand-wired node:http entry closes an idle keep-alive connection after the grace period and exits 0', { timeout: 60_000 }, async () => {
    running = await spawnServer(entries.http, { env: { IDLE_GRACE_MS: '100' } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // One request over keep-alive leaves an idle socket open: it must not hold the server
      // for keepAliveTimeout.
      const { socketClosed } = await getOver(`${running.url}/index`, agent);
      const exited = new Promise<number | null>((resolve) => running!.child.once('exit', (code) => resolve(code)));
      running.child.kill('SIGTERM');
      await socketClosed;
      expect(await exited).toBe(0);
    } finally {
      agent.destroy();
    }
  });
});
