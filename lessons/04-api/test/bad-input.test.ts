import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItemsRepository, type RunningServer } from '@course/shared';
import { createTestDatabase, listen, requestJson } from '@course/shared/testing';
import { createApi, encodeCursor } from '../src/index.ts';

/** Every bad request gets a 400 (or 404/413/415) with the error shape, naming the field. */
describe('lesson 04 API: bad input', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await listen(createApi({ repo: createItemsRepository(createTestDatabase(30)), catalogSize: 10 }));
  });
  afterAll(() => server.close());

  const get = (path: string) => requestJson(`${server.url}${path}`);
  const expectField = async (path: string, field: string, message?: RegExp) => {
    const res = await get(path);
    expect(res.status, path).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    if (message) expect(res.body.error.message).toMatch(message);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  };

  it.each([
    ['/items?limit=abc', 'query.limit'],
    ['/items?limit=1.5', 'query.limit'],
    ['/items?limit=0', 'query.limit'],
    ['/items?limit=101', 'query.limit'],
    ['/items?limit=1&limit=2', 'query.limit'],
    ['/items?offset=-1', 'query.offset'],
    ['/items?offset=1e3', 'query.offset'],
    ['/items?offset=10001', 'query.offset'],
    ['/items?minPriceCents=cheap', 'query.minPriceCents'],
    ['/items?maxPriceCents=100000001', 'query.maxPriceCents'],
    ['/items?category=', 'query.category'],
  ])('GET %s is a 400 naming %s (wrong type or out of range)', async (path, field) => {
    await expectField(path, field);
  });

  it('rejects an unknown query parameter on every read route, naming it', async () => {
    await expectField('/items?limt=5', 'query.limt', /query\.limt/);
    await expectField('/items?afterId=5', 'query.afterId'); // the shared afterId is replaced by cursor
    await expectField('/items/1?verbose=1', 'query.verbose');
    await expectField('/catalog?page=2', 'query.page');
  });

  it.each([
    ['not base64 at all!', 'garbage'],
    [Buffer.from('{"after":"12"}').toString('base64url'), 'wrong type inside'],
    [Buffer.from('{"after":12,"admin":true}').toString('base64url'), 'extra field inside'],
    [Buffer.from('{"after":-5}').toString('base64url'), 'negative id'],
    [`${encodeCursor(10)}x`, 'tampered by one character'],
    ['x'.repeat(65), 'too long'],
  ])('rejects a cursor that is %s (%s) with a 400 naming query.cursor', async (cursor) => {
    await expectField(`/items?cursor=${encodeURIComponent(cursor)}`, 'query.cursor', /cursor/);
  });

  it('rejects cursor and offset together', async () => {
    await expectField(`/items?offset=10&cursor=${encodeCursor(10)}`, 'query.cursor', /offset/);
  });

  it.each([
    ['id,nme', /unknown field "nme"/],
    ['id,,name', /empty name/],
    ['', /empty name/],
    ['id,id', /twice/],
    ['__proto__', /unknown field/],
  ])('rejects fields=%s with a 400 naming query.fields', async (fields, message) => {
    await expectField(`/items?fields=${encodeURIComponent(fields)}`, 'query.fields', message);
    await expectField(`/items/1?fields=${encodeURIComponent(fields)}`, 'query.fields', message);
  });

  it.each(['abc', '1.5', '-1', '0', '1e3', '9999999999999999', '0x10'])('GET /items/%s is a 400 naming id', async (id) => {
    await expectField(`/items/${id}`, 'id');
  });

  it('answers 404 with the error shape for an unknown id and an unknown route', async () => {
    const item = await get('/items/999999');
    expect(item.status).toBe(404);
    expect(item.body.error.code).toBe('NOT_FOUND');
    expect((await get('/nope')).status).toBe(404);
  });

  it('answers 413 for a body over the limit and 415 for a write that is not JSON', async () => {
    const big = await requestJson(`${server.url}/items`, { method: 'POST', body: { sku: 'B', name: 'x'.repeat(200_000), category: 'books', priceCents: 1 } });
    expect(big.status).toBe(413);
    const res = await fetch(`${server.url}/items/1`, { method: 'PATCH', headers: { 'content-type': 'text/plain' }, body: 'name=x' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 400 for malformed JSON on a write', async () => {
    const res = await requestJson(`${server.url}/items`, { method: 'POST', body: '{"sku": "A",' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
  });

  it('treats SQL metacharacters and long Unicode in filters as plain values', async () => {
    const sneaky = await get(`/items?category=${encodeURIComponent("books' OR '1'='1")}`);
    expect(sneaky.status).toBe(200);
    expect(sneaky.body).toEqual({ items: [], nextCursor: null });
    const name = `Ünïcødé ☕ 𝄞 ${'é'.repeat(150)}`;
    const created = await requestJson(`${server.url}/items`, { method: 'POST', body: { sku: "x'; DROP TABLE items;--", name, category: '書籍', priceCents: 1, tags: ['%_\\'] } });
    expect(created.status).toBe(201);
    const found = await get(`/items?category=${encodeURIComponent('書籍')}&tag=${encodeURIComponent('%_\\')}&fields=sku,name`);
    expect(found.body.items).toEqual([{ sku: "x'; DROP TABLE items;--", name }]);
  });

  it('keeps serving after all of the above', async () => {
    const res = await get('/items?limit=2&fields=id');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
