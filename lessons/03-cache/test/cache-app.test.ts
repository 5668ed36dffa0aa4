import { afterEach, describe, expect, it } from 'vitest';
import { createItemsRepository, createMetrics, type Metrics, type RunningServer } from '@course/shared';
import { createTestDatabase, listen, requestJson } from '@course/shared/testing';
import { createCacheApp } from '../src/index.ts';
import { spyOn, type SpyRepo } from './spy.ts';

describe('the cached items API over HTTP', () => {
  let server: RunningServer | undefined;
  let metrics: Metrics | undefined;

  afterEach(async () => {
    await server?.close();
    metrics?.close();
    server = undefined;
    metrics = undefined;
  });

  async function start(cached: boolean, delayMs?: number): Promise<SpyRepo & { url: string }> {
    const spy = spyOn(createItemsRepository(createTestDatabase(50)), delayMs);
    metrics = createMetrics();
    const { app } = createCacheApp({ repo: spy.repo, cached, metrics });
    server = await listen(app);
    return { ...spy, url: server.url };
  }

  it('never serves the old item after a PATCH', async () => {
    const { url } = await start(true);
    const before = await requestJson(`${url}/items/7`);
    await requestJson(`${url}/items/7`); // cached now
    const patched = await requestJson(`${url}/items/7`, { method: 'PATCH', body: { name: 'Renamed lamp', priceCents: 4321 } });
    expect(patched.status).toBe(200);
    const after = await requestJson(`${url}/items/7`);
    expect(after.body).toEqual(patched.body);
    expect(after.body.name).not.toBe(before.body.name);
  });

  it('answers 404 for an item after its DELETE, even though it was cached', async () => {
    const { url } = await start(true);
    expect((await requestJson(`${url}/items/9`)).status).toBe(200);
    expect((await requestJson(`${url}/items/9`, { method: 'DELETE' })).status).toBe(204);
    const after = await requestJson(`${url}/items/9`);
    expect(after.status).toBe(404);
    expect(after.body.error.code).toBe('NOT_FOUND');
  });

  it('recomputes the cached aggregate and pages after writes', async () => {
    const { url } = await start(true);
    const total = (body: { categories: { count: number }[] }): number => body.categories.reduce((s, c) => s + c.count, 0);
    const stats = await requestJson(`${url}/items/stats`);
    const page = await requestJson(`${url}/items?limit=3`);
    await requestJson(`${url}/items/stats`);

    expect((await requestJson(`${url}/items/1`, { method: 'DELETE' })).status).toBe(204);
    const created = await requestJson(`${url}/items`, { method: 'POST', body: { sku: 'NEW-1', name: 'Kettle', category: 'kitchen', priceCents: 999 } });
    await requestJson(`${url}/items`, { method: 'POST', body: { sku: 'NEW-2', name: 'Chair', category: 'office', priceCents: 1999 } });
    expect(created.status).toBe(201);

    expect(total((await requestJson(`${url}/items/stats`)).body)).toBe(total(stats.body) + 1);
    const pageAfter = await requestJson(`${url}/items?limit=3`);
    expect(pageAfter.body.items[0].id).not.toBe(page.body.items[0].id);
  });

  it('shows hits, misses, size and loads in /metrics', async () => {
    const { url } = await start(true);
    for (let i = 0; i < 3; i++) await requestJson(`${url}/items/stats`);
    await requestJson(`${url}/items/2`);
    const { body } = await requestJson(`${url}/metrics`);
    expect(body.custom.cache).toEqual({ hits: 2, misses: 2, size: 2, bytes: expect.any(Number), fetches: 2 });
    expect(body.custom.cache.bytes).toBeGreaterThan(0);
  });

  it('coalesces 20 concurrent requests for a cold key into one load (asynchronous source)', async () => {
    const { url, calls } = await start(true, 30);
    const responses = await Promise.all(Array.from({ length: 20 }, () => requestJson(`${url}/items/stats`)));
    const byId = await Promise.all(Array.from({ length: 20 }, () => requestJson(`${url}/items/11`)));
    expect(calls.categoryStats).toBe(1);
    expect(calls.get).toBe(1);
    for (const r of [...responses, ...byId]) expect(r.status).toBe(200);
    for (const r of responses) expect(r.body).toEqual(responses[0]!.body);
  });

  it('without the cache, the same 20 concurrent requests run 20 loads', async () => {
    const { url, calls } = await start(false, 30);
    await Promise.all(Array.from({ length: 20 }, () => requestJson(`${url}/items/stats`)));
    expect(calls.categoryStats).toBe(20);
    expect((await requestJson(`${url}/metrics`)).body.custom.cache).toBeUndefined();
  });

  it('keeps the API\'s bad-input answers: 400 for a non-integer id, 409 for a duplicate sku, then serves on', async () => {
    const { url } = await start(true);
    const bad = await requestJson(`${url}/items/1e3`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('id');
    const existing = await requestJson(`${url}/items/1`);
    const dup = await requestJson(`${url}/items`, { method: 'POST', body: { sku: existing.body.sku, name: 'x', category: 'books', priceCents: 1 } });
    expect(dup.status).toBe(409);
    expect((await requestJson(`${url}/items/1`)).body).toEqual(existing.body);
  });
});
