import { afterEach, describe, expect, it } from 'vitest';
import { createItemsRepository, type Item, type RunningServer } from '@course/shared';
import { createTestDatabase, listen, requestJson } from '@course/shared/testing';
import { createApi, decodeCursor } from '../src/index.ts';

describe('offset and keyset (cursor) pagination', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  async function start(seedCount: number): Promise<string> {
    server = await listen(createApi({ repo: createItemsRepository(createTestDatabase(seedCount)), catalogSize: 10 }));
    return server.url;
  }

  it('returns the same first page with offset=0, with no offset and via the cursor route', async () => {
    const url = await start(50);
    const plain = await requestJson(`${url}/items?limit=10`);
    const offset = await requestJson(`${url}/items?limit=10&offset=0`);
    expect(offset.body).toEqual(plain.body);
    expect(plain.body.items.map((i: Item) => i.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(decodeCursor(plain.body.nextCursor)).toBe(10);
  });

  it('gives nextCursor null on a full last page (the table ends exactly at a page boundary)', async () => {
    const url = await start(40);
    const first = await requestJson(`${url}/items?limit=20`);
    expect(first.body.items).toHaveLength(20);
    expect(first.body.nextCursor).not.toBeNull();
    const last = await requestJson(`${url}/items?limit=20&cursor=${first.body.nextCursor}`);
    expect(last.body.items.map((i: Item) => i.id)).toEqual(Array.from({ length: 20 }, (_, i) => 21 + i));
    expect(last.body.nextCursor).toBeNull();
    // Offset pages follow the same rule.
    expect((await requestJson(`${url}/items?limit=20&offset=20`)).body.nextCursor).toBeNull();
  });

  it('never hands a deleted id to a new item, so a cursor past it cannot miss the new row', async () => {
    const url = await start(31);
    const page = await requestJson(`${url}/items?limit=30&fields=id`);
    const cursorPast30 = page.body.nextCursor; // a client holds this while others write
    expect(decodeCursor(cursorPast30)).toBe(30);
    for (const id of [31, 30]) expect((await fetch(`${url}/items/${id}`, { method: 'DELETE' })).status).toBe(204);
    const created = await requestJson(`${url}/items`, { method: 'POST', body: { sku: 'AFTER-DELETE', name: 'New', category: 'books', priceCents: 100 } });
    expect(created.status).toBe(201);
    // Reusing ids would give 30 (max + 1): behind the cursor, never seen by that client.
    expect(created.body.id).toBe(32);
    expect(created.headers.get('location')).toBe('/items/32');
    const next = await requestJson(`${url}/items?limit=30&fields=id&cursor=${cursorPast30}`);
    expect(next.body).toEqual({ items: [{ id: 32 }], nextCursor: null });
  });

  it('returns the same page at depth with offset and with the keyset cursor', async () => {
    const url = await start(300);
    const first = await requestJson(`${url}/items?limit=100`);
    const second = await requestJson(`${url}/items?limit=100&cursor=${first.body.nextCursor}`);
    const byOffset = await requestJson(`${url}/items?limit=100&offset=100`);
    expect(second.body.items).toEqual(byOffset.body.items);
  });

  it('walks the whole table by cursor: every row once, in order, then a null cursor', async () => {
    const url = await start(1234);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Item[]; nextCursor: string | null } } = await requestJson(`${url}/items?limit=100&fields=id${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 1234 }, (_, i) => i + 1));
  });

  it('keeps the walk exact while items are inserted and deleted between pages; offset skips rows', async () => {
    const url = await start(500);
    const post = (n: number) => requestJson(`${url}/items`, { method: 'POST', body: { sku: `LIVE-${n}`, name: `Live ${n}`, category: 'books', priceCents: 100 } });

    // Keyset: ids 1..500 seeded; each page, one new item is appended and an already-seen
    // row is deleted. Every original row and every appended one is visited exactly once.
    const seen: number[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    let deleted = 0;
    do {
      const res: { body: { items: Item[]; nextCursor: string | null } } = await requestJson(`${url}/items?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
      if (inserted < 5) await post(inserted++);
      const victim = seen[deleted++ * 3]!;
      expect((await requestJson(`${url}/items/${victim}`, { method: 'DELETE' })).status).toBe(204);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen).toEqual(Array.from({ length: 505 }, (_, i) => i + 1));

    // Offset, for contrast: deleting a row on a page already read shifts the rest down by
    // one, so the row that was first on the next page is never returned.
    const first = await requestJson(`${url}/items?limit=50&offset=0`);
    const nextFirst = (await requestJson(`${url}/items?limit=50&offset=50`)).body.items[0].id;
    await requestJson(`${url}/items/${first.body.items[0].id}`, { method: 'DELETE' });
    const second = await requestJson(`${url}/items?limit=50&offset=50`);
    const walked = [...first.body.items, ...second.body.items].map((i: Item) => i.id);
    expect(walked).not.toContain(nextFirst);
  });

  it('visits every seeded row exactly once while another client inserts concurrently', async () => {
    const url = await start(600);
    const createdIds: number[] = [];
    let walking = true;
    const writer = (async () => {
      for (let n = 0; walking && n < 200; n++) {
        const res = await requestJson(`${url}/items`, { method: 'POST', body: { sku: `CONC-${n}`, name: `Concurrent ${n}`, category: 'toys', priceCents: n } });
        createdIds.push(res.body.id);
      }
    })();
    const seen: number[] = [];
    let cursor: string | null = null;
    try {
      do {
        const res: { body: { items: Item[]; nextCursor: string | null } } = await requestJson(`${url}/items?limit=25&fields=id${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...res.body.items.map((i) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
    } finally {
      walking = false;
      await writer;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.slice(0, 600)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    for (const id of seen.slice(600)) expect(createdIds).toContain(id);
  });

  it('filters pages and keeps the cursor within the filter', async () => {
    const url = await start(400);
    const first = await requestJson(`${url}/items?limit=5&category=books`);
    const second = await requestJson(`${url}/items?limit=5&category=books&cursor=${first.body.nextCursor}`);
    for (const item of [...first.body.items, ...second.body.items]) expect(item.category).toBe('books');
    expect(second.body.items[0].id).toBeGreaterThan(first.body.items[4].id);
  });
});

describe('field selection', () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('returns only the asked fields, in the asked order, on pages and on one item', async () => {
    server = await listen(createApi({ repo: createItemsRepository(createTestDatabase(5)), catalogSize: 5 }));
    const page = await requestJson(`${server.url}/items?limit=2&fields=name,id`);
    expect(page.body.items.map((i: object) => Object.keys(i))).toEqual([['name', 'id'], ['name', 'id']]);
    expect(page.body.nextCursor).not.toBeNull(); // the cursor does not depend on the selected fields
    const item = await requestJson(`${server.url}/items/3?fields=priceCents,tags`);
    const full = await requestJson(`${server.url}/items/3`);
    expect(item.body).toEqual({ priceCents: full.body.priceCents, tags: full.body.tags });
  });
});
