import { request, Agent, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '@course/shared/testing';
import type { RunningServer } from '@course/shared';
import { createBareHandler, createCourseApp, createExpressApp, createLeanExpressApp, indexBody, indexPayload } from '../src/index.ts';

interface RawResponse { status: number; headers: IncomingHttpHeaders; body: string; reusedSocket: boolean }

/** One request through node:http, so the raw headers and socket reuse are visible. */
function get(url: string, agent: Agent, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), reusedSocket: req.reusedSocket,
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const variants = [
  { name: 'node:http (pre-encoded)', handler: () => createBareHandler() },
  { name: 'node:http (string once)', handler: () => createBareHandler({ body: 'string' }) },
  { name: 'node:http (stringify per request)', handler: () => createBareHandler({ body: 'stringify' }) },
  { name: 'express', handler: () => createExpressApp() },
  { name: 'express (lean)', handler: () => createLeanExpressApp() },
  { name: 'express (course createApp)', handler: () => createCourseApp() },
];

describe.each(variants)('GET /index on $name', ({ handler }) => {
  let server: RunningServer;
  let agent: Agent;
  beforeAll(async () => {
    server = await listen(handler());
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterAll(async () => {
    agent.destroy();
    await server.close();
  });

  it('returns the shared payload as JSON, byte for byte', async () => {
    const res = await get(`${server.url}/index`, agent);
    expect(res.status).toBe(200);
    expect(res.body).toBe(indexBody.toString('utf8'));
    expect(JSON.parse(res.body)).toEqual(indexPayload);
  });

  it('sends Content-Type and an exact Content-Length, not chunked encoding', async () => {
    const res = await get(`${server.url}/index`, agent);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
    expect(res.headers['transfer-encoding']).toBeUndefined();
  });

  it('keeps the connection alive and serves the next request on the same socket', async () => {
    const first = await get(`${server.url}/index`, agent);
    const second = await get(`${server.url}/index`, agent);
    expect(first.headers.connection).toBe('keep-alive');
    expect(first.headers['keep-alive']).toMatch(/^timeout=\d+$/);
    expect(second.status).toBe(200);
    expect(second.reusedSocket).toBe(true);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await get(`${server.url}/index`, agent, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(indexBody.length));
    expect(res.body).toBe('');
  });

  it('returns a JSON 404 in the course error shape for an unknown route', async () => {
    const res = await get(`${server.url}/nope?x=1`, agent);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'NOT_FOUND', message: 'Route GET /nope not found' } });
  });

  it('returns 404, not the payload, for another method on /index', async () => {
    const res = await get(`${server.url}/index`, agent, 'DELETE');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.code).toBe('NOT_FOUND');
  });
});

describe('the variants side by side', () => {
  it('serve identical bodies and identical Content-Type and Content-Length', async () => {
    const agent = new Agent({ keepAlive: false });
    const servers = await Promise.all(variants.map((v) => listen(v.handler())));
    try {
      const responses = await Promise.all(servers.map((s) => get(`${s.url}/index`, agent)));
      const shapes = responses.map((r) => ({ status: r.status, body: r.body, type: r.headers['content-type'], length: r.headers['content-length'] }));
      for (const shape of shapes) expect(shape).toEqual(shapes[0]);
    } finally {
      agent.destroy();
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('differ where documented: only res.json() adds a weak ETag', async () => {
    const agent = new Agent({ keepAlive: false });
    const [bare, express, lean] = await Promise.all([listen(createBareHandler()), listen(createExpressApp()), listen(createLeanExpressApp())]);
    try {
      expect((await get(`${bare.url}/index`, agent)).headers.etag).toBeUndefined();
      expect((await get(`${express.url}/index`, agent)).headers.etag).toMatch(/^W\/"/);
      expect((await get(`${lean.url}/index`, agent)).headers.etag).toBeUndefined();
    } finally {
      agent.destroy();
      await Promise.all([bare.close(), express.close(), lean.close()]);
    }
  });
});

describe('a closed server', () => {
  it('stops accepting connections after close()', async () => {
    const server = await listen(createBareHandler());
    const agent = new Agent({ keepAlive: true });
    expect((await get(`${server.url}/index`, agent)).status).toBe(200);
    // close() resolving at all shows the idle keep-alive socket did not hold it open.
    await server.close();
    agent.destroy();
    const fresh = new Agent({ keepAlive: false });
    await expect(get(`${server.url}/index`, fresh)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    fresh.destroy();
  });
});
