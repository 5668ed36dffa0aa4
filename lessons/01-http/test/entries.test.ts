import { Agent, request } from 'node:http';
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

  it('the hand-wired node:http entry closes an idle keep-alive connection on SIGTERM and exits 0', { timeout: 60_000 }, async () => {
    running = await spawnServer(entries.http);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // One request over keep-alive leaves an idle socket open: it must not hold the server.
      // (Wrapped in an object: resolving with a bare promise would wait for it to settle.)
      const { socketClosed } = await new Promise<{ socketClosed: Promise<void> }>((resolve, reject) => {
        const req = request(`${running!.url}/index`, { agent }, (res) => {
          expect(res.headers.connection).toBe('keep-alive');
          res.resume();
          res.on('end', () => resolve({ socketClosed: new Promise<void>((closed) => req.socket!.once('close', () => closed())) }));
        });
        req.on('error', reject);
        req.end();
      });
      const exited = new Promise<number | null>((resolve) => running!.child.once('exit', (code) => resolve(code)));
      running.child.kill('SIGTERM');
      await socketClosed; // the server closed our idle socket, without waiting keepAliveTimeout
      expect(await exited).toBe(0);
    } finally {
      agent.destroy();
    }
  });
});
