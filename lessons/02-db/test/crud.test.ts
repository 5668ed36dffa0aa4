import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from '@course/shared/testing';
import { fixedNow, newItem, startTestServer, type TestServer } from './helpers.ts';

describe('items CRUD on SQLite', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(50); });
  afterAll(async () => { await server.close(); });

  it('creates an item: 201, Location, and the stored fields', async () => {
    const res = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('CRUD-1') });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/items/${res.body.id}`);
    expect(res.body).toEqual({
      id: expect.any(Number), sku: 'CRUD-1', name: 'Test Lamp', category: 'kitchen', priceCents: 1999, tags: ['new'],
      createdAt: fixedNow.toISOString(), updatedAt: fixedNow.toISOString(),
    });
  });

  it('reads an item back by id: 200 with the same body as the create', async () => {
    const created = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('CRUD-2', { tags: undefined }) });
    const res = await requestJson(`${server.url}/items/${created.body.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
    expect(res.body.tags).toEqual([]);
  });

  it('lists a page of items in id order, with filters', async () => {
    const page = await requestJson(`${server.url}/items?limit=5`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((i: { id: number }) => i.id)).toEqual([1, 2, 3, 4, 5]);
    const next = await requestJson(`${server.url}/items?limit=5&afterId=5`);
    expect(next.body.items[0].id).toBe(6);
    const kitchen = await requestJson(`${server.url}/items?category=kitchen&limit=100`);
    expect(kitchen.body.items.length).toBeGreaterThan(0);
    expect(kitchen.body.items.every((i: { category: string }) => i.category === 'kitchen')).toBe(true);
  });

  it('updates some fields with PATCH: 200, other fields unchanged', async () => {
    const created = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('CRUD-3') });
    const res = await requestJson(`${server.url}/items/${created.body.id}`, { method: 'PATCH', body: { priceCents: 2500, tags: ['sale', 'eco'] } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, priceCents: 2500, tags: ['sale', 'eco'] });
    expect((await requestJson(`${server.url}/items/${created.body.id}`)).body.priceCents).toBe(2500);
  });

  it('deletes an item: 204 with no body, then 404 for it', async () => {
    const created = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('CRUD-4') });
    const res = await fetch(`${server.url}/items/${created.body.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await requestJson(`${server.url}/items/${created.body.id}`)).status).toBe(404);
  });

  it('returns 404 NOT_FOUND for an unknown id on GET, PATCH and DELETE', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await requestJson(`${server.url}/items/999999`, { method, body: method === 'PATCH' ? { name: 'x' } : undefined });
      expect(res.status, method).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: 'Item not found' });
    }
  });

  it('rejects a duplicate sku with 409 naming the field, on create and on update', async () => {
    await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('CRUD-DUP') });
    const dup = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('CRUD-DUP') });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'CONFLICT', details: [{ field: 'sku' }] });

    const other = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('CRUD-OTHER') });
    const patch = await requestJson(`${server.url}/items/${other.body.id}`, { method: 'PATCH', body: { sku: 'CRUD-DUP' } });
    expect(patch.status).toBe(409);
    expect((await requestJson(`${server.url}/items/${other.body.id}`)).body.sku).toBe('CRUD-OTHER');
  });

  it('serves the category aggregate over the whole table', async () => {
    const res = await requestJson(`${server.url}/items/stats`);
    expect(res.status).toBe(200);
    const total = res.body.categories.reduce((s: number, c: { count: number }) => s + c.count, 0);
    expect(total).toBe((server.db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n);
  });

  it('logged no unexpected error during these requests', () => {
    expect(server.logged).toEqual([]);
  });
});
