/**
 * The items API's contract, written once and run against every repository (SQLite and
 * PostgreSQL here): the same requests must give the same answers whatever stores the rows.
 * The cases follow what lessons 02 and 04 pin on SQLite, as one parameterised suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from '@course/shared/testing';

/** The clock every server under contract uses. */
export const fixedNow = new Date('2026-01-02T03:04:05.000Z');

/** A server seeded with the course's first `seedCount` deterministic items, clock {@link fixedNow}. */
export interface ContractServer {
  url: string;
  close(): Promise<void>;
}

const newItem = (sku: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ sku, name: 'Test Lamp', category: 'kitchen', priceCents: 1999, tags: ['new'], ...overrides });

/** Registers the contract's tests for one implementation. `start(50)` must seed 50 items. */
export function itemsApiContract(label: string, start: (seedCount: number) => Promise<ContractServer>, options: { skip?: boolean } = {}): void {
  describe.skipIf(options.skip ?? false)(`items API contract on ${label}`, () => {
    let server: ContractServer;
    let url: string;
    beforeAll(async () => {
      server = await start(50);
      url = server.url;
    });
    afterAll(async () => { await server?.close(); });

    it('creates an item: 201, Location, every stored field', async () => {
      const res = await requestJson(`${url}/items`, { method: 'POST', body: newItem('C-1') });
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/items/${res.body.id}`);
      expect(res.body).toEqual({
        id: 51, sku: 'C-1', name: 'Test Lamp', category: 'kitchen', priceCents: 1999, tags: ['new'],
        createdAt: fixedNow.toISOString(), updatedAt: fixedNow.toISOString(),
      });
      expect((await requestJson(`${url}/items/${res.body.id}`)).body).toEqual(res.body);
    });

    it('reads a seeded item exactly as the seed wrote it', async () => {
      const res = await requestJson(`${url}/items/1`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: 1, sku: 'SKU-000001', createdAt: '2024-01-01T00:01:00.000Z' });
      expect(Array.isArray(res.body.tags)).toBe(true);
    });

    it('stores text exactly, accents and emoji included', async () => {
      const name = 'Crème brûlée 🍮 ½ × 東京';
      const created = await requestJson(`${url}/items`, { method: 'POST', body: newItem('C-2', { name, tags: ['été', '🍮'] }) });
      expect((await requestJson(`${url}/items/${created.body.id}`)).body).toMatchObject({ name, tags: ['été', '🍮'] });
    });

    it('lists in id order; afterId and offset give the same page; filters narrow it', async () => {
      const first = await requestJson(`${url}/items?limit=5`);
      expect(first.body.items.map((i: { id: number }) => i.id)).toEqual([1, 2, 3, 4, 5]);
      const byKey = await requestJson(`${url}/items?limit=5&afterId=5`);
      const byOffset = await requestJson(`${url}/items?limit=5&offset=5`);
      expect(byKey.body.items).toEqual(byOffset.body.items);
      expect(byKey.body.items[0].id).toBe(6);
      const filtered = await requestJson(`${url}/items?category=kitchen&tag=new&maxPriceCents=50000&limit=100`);
      expect(filtered.status).toBe(200);
      for (const item of filtered.body.items) {
        expect(item).toMatchObject({ category: 'kitchen' });
        expect(item.tags).toContain('new');
        expect(item.priceCents).toBeLessThanOrEqual(50000);
      }
    });

    it('updates only the fields a PATCH sends, and keeps them', async () => {
      const created = await requestJson(`${url}/items`, { method: 'POST', body: newItem('C-3') });
      const res = await requestJson(`${url}/items/${created.body.id}`, { method: 'PATCH', body: { priceCents: 2500, tags: ['sale', 'eco'] } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...created.body, priceCents: 2500, tags: ['sale', 'eco'] });
      expect((await requestJson(`${url}/items/${created.body.id}`)).body).toEqual(res.body);
    });

    it('deletes: 204 with no body, then 404', async () => {
      const created = await requestJson(`${url}/items`, { method: 'POST', body: newItem('C-4') });
      const res = await fetch(`${url}/items/${created.body.id}`, { method: 'DELETE' });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
      expect((await requestJson(`${url}/items/${created.body.id}`)).status).toBe(404);
    });

    it('answers 404 NOT_FOUND for unknown ids, even ones past the integer column', async () => {
      for (const id of ['999999', '999999999999999']) {
        for (const method of ['GET', 'PATCH', 'DELETE']) {
          const res = await requestJson(`${url}/items/${id}`, { method, body: method === 'PATCH' ? { name: 'x' } : undefined });
          expect(res.status, `${method} ${id}`).toBe(404);
          expect(res.body.error).toMatchObject({ code: 'NOT_FOUND' });
        }
      }
    });

    it('answers 409 naming sku for a duplicate, on create and on update', async () => {
      const create = await requestJson(`${url}/items`, { method: 'POST', body: newItem('SKU-000001') });
      expect(create.status).toBe(409);
      expect(create.body.error.details).toEqual([expect.objectContaining({ field: 'sku' })]);
      const update = await requestJson(`${url}/items/2`, { method: 'PATCH', body: { sku: 'SKU-000001' } });
      expect(update.status).toBe(409);
      expect((await requestJson(`${url}/items/2`)).body.sku).toBe('SKU-000002');
    });

    it('answers 400 naming the field for bad bodies, ids and queries, and keeps serving', async () => {
      const bad = await requestJson(`${url}/items`, { method: 'POST', body: newItem('C-5', { priceCents: -1, prce: 1 }) });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['prce', 'priceCents']);
      expect((await requestJson(`${url}/items/abc`)).body.error.details[0].field).toBe('id');
      expect((await requestJson(`${url}/items?limit=0`)).body.error.details[0].field).toBe('query.limit');
      expect(JSON.stringify(bad.body)).not.toContain('    at ');
      expect((await requestJson(`${url}/items/1`)).status).toBe(200);
    });

    it('aggregates per category: counts add up to the table, averages lie between min and max', async () => {
      const res = await requestJson(`${url}/items/stats`);
      expect(res.status).toBe(200);
      const categories = res.body.categories as { category: string; count: number; avgPriceCents: number; minPriceCents: number; maxPriceCents: number }[];
      expect(categories.map((c) => c.category)).toEqual([...categories.map((c) => c.category)].sort());
      for (const c of categories) {
        expect(Number.isInteger(c.count)).toBe(true);
        expect(c.avgPriceCents).toBeGreaterThanOrEqual(c.minPriceCents);
        expect(c.avgPriceCents).toBeLessThanOrEqual(c.maxPriceCents);
      }
      const all = await requestJson(`${url}/items?limit=100`);
      expect(categories.reduce((sum, c) => sum + c.count, 0)).toBe(all.body.items.length);
    });
  });
}
