import { afterEach, describe, expect, it } from 'vitest';
import { request as httpRequest, type RequestListener } from 'node:http';
import {
  createApiApp, createItemsRepository, createMetrics, encodeItem, hotItemId, withHotItemReads,
  type EncodedItem, type ItemsStore, type Metrics, type RunningServer,
} from '../src/index.ts';
import { createTestDatabase, listen } from '../src/testing.ts';

/** The repository with a Map of encoded items in front: the least a store with a hot path needs. */
function encodedStore(repo = createItemsRepository(createTestDatabase(20))): ItemsStore & { peekEncoded(id: number): EncodedItem | undefined; drop(id: number): void } {
  const cache = new Map<number, EncodedItem>();
  const getEncoded = (id: number): EncodedItem | undefined => {
    let entry = cache.get(id);
    if (!entry) {
      const item = repo.get(id);
      if (!item) return undefined;
      entry = encodeItem(item);
      cache.set(id, entry);
    }
    return entry;
  };
  return {
    get: (id) => getEncoded(id)?.item,
    getEncoded,
    peekEncoded: (id) => cache.get(id),
    drop: (id) => { cache.delete(id); },
    list: (query) => repo.list(query),
    categoryStats: () => repo.categoryStats(),
    create: (input) => repo.create(input),
    update: (id, patch) => { cache.delete(id); return repo.update(id, patch); },
    delete: (id) => { cache.delete(id); return repo.delete(id); },
  };
}

/** Raw bytes of a response, every header, and whether the Express app was asked. */
interface Raw { status: number; headers: Record<string, string>; body: Buffer }

function get(url: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the hot path for cached GET /items/:id', () => {
  let server: RunningServer | undefined;
  let metrics: Metrics | undefined;
  afterEach(async () => {
    await server?.close();
    metrics?.close();
    server = undefined;
    metrics = undefined;
  });

  /** The course's app behind the hot path; `appCalls` counts the requests Express answered. */
  async function start(repo = createItemsRepository(createTestDatabase(20))): Promise<{ url: string; appCalls: () => number; store: ReturnType<typeof encodedStore> }> {
    const store = encodedStore(repo);
    metrics = createMetrics();
    const app = createApiApp({ store, metrics });
    let calls = 0;
    const counted: RequestListener = (req, res) => { calls++; app(req, res); };
    server = await listen(withHotItemReads(counted, { cache: store, metrics, headers: { 'X-Extra': 'yes' } }));
    return { url: server.url, appCalls: () => calls, store };
  }

  it('answers a hit without Express, with the same status, body and headers as the Express path', async () => {
    const { url, appCalls } = await start();
    const miss = await get(`${url}/items/3`);
    expect(appCalls()).toBe(1);
    const hit = await get(`${url}/items/3`);
    expect(appCalls()).toBe(1);
    expect(hit.status).toBe(200);
    expect(hit.body.equals(miss.body)).toBe(true);
    for (const name of ['content-type', 'content-length', 'etag']) expect(hit.headers[name]).toBe(miss.headers[name]);
    expect(hit.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(hit.headers['x-request-id']).not.toBe(miss.headers['x-request-id']);
    expect(hit.headers['x-extra']).toBe('yes');
    expect(Object.keys(hit.headers).sort()).toEqual(Object.keys(miss.headers).filter((h) => h !== 'x-extra').concat('x-extra').sort());
  });

  it('sends the ETag Express computes for the same body', async () => {
    const repo = createItemsRepository(createTestDatabase(20));
    const { url } = await start(repo);
    await get(`${url}/items/4`);
    const hit = await get(`${url}/items/4`);
    // The same repository without encoded entries: Express serializes and hashes as ever.
    const plain = await listen(createApiApp({ store: repo }));
    try {
      const viaExpress = await get(`${plain.url}/items/4`);
      expect(viaExpress.body.equals(hit.body)).toBe(true);
      expect(hit.headers.etag).toBe(viaExpress.headers.etag);
    } finally {
      await plain.close();
    }
  });

  it('keeps a well-formed incoming X-Request-Id and replaces a malformed one, as the middleware does', async () => {
    const { url } = await start();
    await get(`${url}/items/5`);
    expect((await get(`${url}/items/5`, { 'x-request-id': 'client-id.42' })).headers['x-request-id']).toBe('client-id.42');
    expect((await get(`${url}/items/5`, { 'x-request-id': 'bad id!' })).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a matching If-None-Match with 304 (through Express) and a GET with a body as Express does', async () => {
    const { url, appCalls } = await start();
    const first = await get(`${url}/items/6`);
    const before = appCalls();
    const conditional = await get(`${url}/items/6`, { 'if-none-match': first.headers.etag! });
    expect(conditional.status).toBe(304);
    expect(conditional.body.length).toBe(0);
    const withBody = await get(`${url}/items/6`, { 'content-type': 'application/json', 'content-length': '5' }, '{oops');
    expect(withBody.status).toBe(400);
    expect(JSON.parse(withBody.body.toString()).error.code).toBe('BAD_REQUEST');
    expect(appCalls()).toBe(before + 2);
  });

  it('counts a hit in the metrics, as the Express path counts its requests', async () => {
    const { url } = await start();
    await get(`${url}/items/7`);
    await get(`${url}/items/7`);
    const snapshot = metrics!.snapshot();
    expect(snapshot.requests.total).toBe(2);
    expect(snapshot.requests.byStatus).toEqual({ '2xx': 2 });
  });

  it('serves a write\'s new item once the write dropped the entry', async () => {
    const { url } = await start();
    await get(`${url}/items/8`);
    const patched = await fetch(`${url}/items/8`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Renamed' }) });
    expect(patched.status).toBe(200);
    await get(`${url}/items/8`); // the miss that caches the new entry
    const hit = await get(`${url}/items/8`);
    expect(JSON.parse(hit.body.toString()).name).toBe('Renamed');
  });
});

describe('hotItemId', () => {
  it('takes exactly the ids parseId accepts, in a bare /items/<id> path', () => {
    expect(hotItemId('/items/1')).toBe(1);
    expect(hotItemId('/items/123456789012345')).toBe(123456789012345);
    for (const url of ['/items/', '/items/0', '/items/01', '/items/1?x=1', '/items/1/', '/items/1a', '/items/-1', '/items/1234567890123456', '/items/stats', '/ITEMS/1', '/item/1']) {
      expect(hotItemId(url), url).toBe(0);
    }
  });
});
