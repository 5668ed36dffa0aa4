import type { RequestListener } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '@course/shared';
import { listen } from '@course/shared/testing';
import { runOpenLoop } from '../src/open-loop/open-loop.ts';
import { RawHttpPool, type RawRequest } from '../src/open-loop/raw-http.ts';

const servers: RunningServer[] = [];
const pools: RawHttpPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) pool.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function poolFor(handler: RequestListener, timeoutMs = 5_000): Promise<RawHttpPool> {
  const server = await listen(handler);
  servers.push(server);
  const url = new URL(server.url);
  const pool = new RawHttpPool(url.hostname, Number(url.port), timeoutMs);
  pools.push(pool);
  return pool;
}

const send = (pool: RawHttpPool, req: RawRequest): Promise<number> =>
  new Promise((resolve, reject) => pool.request(req, (error, status) => (error ? reject(error) : resolve(status!))));

describe('raw HTTP/1.1 client', () => {
  it('reads Content-Length, chunked and empty bodies on one kept-alive connection, and sends bodies', async () => {
    const ports = new Set<number>();
    const pool = await poolFor((req, res) => {
      ports.add(req.socket.remotePort!);
      if (req.url === '/chunked') {
        // Three chunks in three writes, some in packets of their own.
        res.write('a'.repeat(10));
        setTimeout(() => { res.write('b'.repeat(70_000)); res.end('c'); }, 5);
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url === '/echo') {
        let n = 0;
        req.on('data', (c: Buffer) => { n += c.length; });
        req.on('end', () => { res.setHeader('content-length', String(String(n).length)); res.end(String(n)); });
      } else {
        res.writeHead(404, { 'content-length': '9' }).end('not found');
      }
    });
    expect(await send(pool, { method: 'GET', path: '/chunked' })).toBe(200);
    expect(await send(pool, { method: 'GET', path: '/empty' })).toBe(204);
    expect(await send(pool, { method: 'PATCH', path: '/echo', body: 'x'.repeat(1000), headers: { 'content-type': 'text/plain' } })).toBe(200);
    expect(await send(pool, { method: 'GET', path: '/nope' })).toBe(404);
    // One request at a time on one connection: all four used the same socket.
    expect(ports.size).toBe(1);
  });

  it('opens a connection per concurrent request, and obeys connection: close', async () => {
    const ports = new Set<number>();
    const pool = await poolFor((req, res) => {
      ports.add(req.socket.remotePort!);
      setTimeout(() => res.writeHead(200, { connection: 'close', 'content-length': '2' }).end('ok'), 20);
    });
    const statuses = await Promise.all([1, 2, 3].map(() => send(pool, { method: 'GET', path: '/' })));
    expect(statuses).toEqual([200, 200, 200]);
    expect(await send(pool, { method: 'GET', path: '/' })).toBe(200);
    // The closed connections were not reused.
    expect(ports.size).toBe(4);
  });

  it('times a request out and keeps serving others', async () => {
    const pool = await poolFor((req, res) => { if (req.url !== '/never') res.end('ok'); }, 200);
    await expect(send(pool, { method: 'GET', path: '/never' })).rejects.toThrow('timeout');
    expect(await send(pool, { method: 'GET', path: '/' })).toBe(200);
  });

  it('drives the open-loop generator: every request sent is answered and counted', async () => {
    const server = await listen((_req, res) => { res.end('ok'); });
    servers.push(server);
    const r = await runOpenLoop({ url: `${server.url}/x?y=1`, rate: 2000, seconds: 0.25, arrivals: 'poisson', client: 'raw' });
    expect(r.sent).toBe(500);
    expect(r.completed).toBe(500);
    expect(r.statuses).toEqual({ 200: 500 });
    expect(r.errors + r.timeouts).toBe(0);
  });
});
