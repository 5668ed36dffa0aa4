import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newItem, startTestServer, type TestServer } from './helpers.ts';

interface Sent { status: number; text: string; body: any; headers: Headers }

/** A raw request: the body goes out exactly as given (string, bytes or nothing). */
async function send(url: string, init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<Sent> {
  const res = await fetch(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const json = { 'content-type': 'application/json' };

interface Case {
  name: string;
  method?: string;
  path: string;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** A field the error must name in its details. */
  field?: string;
}

const valid = (sku: string, extra: Record<string, unknown> = {}): string => JSON.stringify(newItem(sku, extra));
const badIds = ['abc', '1.5', '-1', '0', '1e3', '0x10', '01', '%201', '9999999999999999', "1'%20OR%20'1'='1", '1;DROP%20TABLE%20items', '%E2%82%AC'];

const cases: Case[] = [
  // POST /items: the body
  { name: 'POST malformed JSON', method: 'POST', path: '/items', body: '{"sku":', headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'POST JSON with a trailing comma', method: 'POST', path: '/items', body: '{"sku":"A",}', headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'POST a JSON string', method: 'POST', path: '/items', body: '"item"', headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'POST JSON null', method: 'POST', path: '/items', body: 'null', headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'POST a JSON array', method: 'POST', path: '/items', body: '[]', headers: json, status: 400, code: 'VALIDATION', field: '(body)' },
  { name: 'POST an empty JSON body', method: 'POST', path: '/items', body: '', headers: json, status: 400, code: 'VALIDATION', field: 'sku' },
  { name: 'POST {} (every field missing)', method: 'POST', path: '/items', body: '{}', headers: json, status: 400, code: 'VALIDATION', field: 'priceCents' },
  { name: 'POST priceCents as a string', method: 'POST', path: '/items', body: valid('B1', { priceCents: '12' }), headers: json, status: 400, code: 'VALIDATION', field: 'priceCents' },
  { name: 'POST priceCents negative', method: 'POST', path: '/items', body: valid('B2', { priceCents: -1 }), headers: json, status: 400, code: 'VALIDATION', field: 'priceCents' },
  { name: 'POST priceCents not an integer', method: 'POST', path: '/items', body: valid('B3', { priceCents: 1.5 }), headers: json, status: 400, code: 'VALIDATION', field: 'priceCents' },
  { name: 'POST priceCents too large', method: 'POST', path: '/items', body: valid('B4', { priceCents: 1e20 }), headers: json, status: 400, code: 'VALIDATION', field: 'priceCents' },
  { name: 'POST name as a number', method: 'POST', path: '/items', body: valid('B5', { name: 5 }), headers: json, status: 400, code: 'VALIDATION', field: 'name' },
  { name: 'POST name null', method: 'POST', path: '/items', body: valid('B6', { name: null }), headers: json, status: 400, code: 'VALIDATION', field: 'name' },
  { name: 'POST name only spaces', method: 'POST', path: '/items', body: valid('B7', { name: '   ' }), headers: json, status: 400, code: 'VALIDATION', field: 'name' },
  { name: 'POST name of 201 characters', method: 'POST', path: '/items', body: valid('B8', { name: 'x'.repeat(201) }), headers: json, status: 400, code: 'VALIDATION', field: 'name' },
  { name: 'POST tags not an array', method: 'POST', path: '/items', body: valid('B9', { tags: 'sale' }), headers: json, status: 400, code: 'VALIDATION', field: 'tags' },
  { name: 'POST a tag that is a number', method: 'POST', path: '/items', body: valid('B10', { tags: ['ok', 7] }), headers: json, status: 400, code: 'VALIDATION', field: 'tags.1' },
  { name: 'POST 21 tags', method: 'POST', path: '/items', body: valid('B11', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }), headers: json, status: 400, code: 'VALIDATION', field: 'tags' },
  { name: 'POST an unknown field', method: 'POST', path: '/items', body: valid('B12', { colour: 'red' }), headers: json, status: 400, code: 'VALIDATION', field: 'colour' },
  { name: 'POST a __proto__ field', method: 'POST', path: '/items', body: `{"__proto__":{"polluted":true},${valid('B13').slice(1)}`, headers: json, status: 400, code: 'VALIDATION', field: '__proto__' },
  { name: 'POST a body over the 100kb limit', method: 'POST', path: '/items', body: valid('B14', { name: 'x'.repeat(200_000) }), headers: json, status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'POST text/plain', method: 'POST', path: '/items', body: valid('B15'), headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'POST a form', method: 'POST', path: '/items', body: 'sku=B16&name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'POST with no Content-Type', method: 'POST', path: '/items', body: new TextEncoder().encode(valid('B17')), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'POST JSON labelled latin1', method: 'POST', path: '/items', body: valid('B18'), headers: { 'content-type': 'application/json; charset=latin1' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'POST UTF-8 bytes labelled UTF-16', method: 'POST', path: '/items', body: valid('B18'), headers: { 'content-type': 'application/json; charset=utf-16' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'POST invalid UTF-8 (0xff) in a string', method: 'POST', path: '/items', body: Buffer.concat([Buffer.from(valid('B20').slice(0, -1) + ',"name":"A'), Buffer.from([0xff]), Buffer.from('"}')]), headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'POST a truncated UTF-8 sequence (0xc3 0x28)', method: 'POST', path: '/items', body: Buffer.from(`{"sku":"B21","name":"A\xc3(","category":"kitchen","priceCents":1}`, 'latin1'), headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'POST a gzip body that is not gzip', method: 'POST', path: '/items', body: valid('B19'), headers: { ...json, 'content-encoding': 'gzip' }, status: 400, code: 'BAD_REQUEST' },
  // PATCH /items/:id
  ...badIds.map((id): Case => ({ name: `PATCH id ${id}`, method: 'PATCH', path: `/items/${id}`, body: '{"name":"x"}', headers: json, status: 400, code: 'VALIDATION', field: 'id' })),
  { name: 'PATCH id with broken percent-encoding', method: 'PATCH', path: '/items/%E0%A4%A', body: '{"name":"x"}', headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'PATCH {} (nothing to change)', method: 'PATCH', path: '/items/1', body: '{}', headers: json, status: 400, code: 'VALIDATION', field: '(body)' },
  { name: 'PATCH malformed JSON', method: 'PATCH', path: '/items/1', body: '{"name":"x"', headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'PATCH priceCents as a string', method: 'PATCH', path: '/items/1', body: '{"priceCents":"9"}', headers: json, status: 400, code: 'VALIDATION', field: 'priceCents' },
  { name: 'PATCH category empty', method: 'PATCH', path: '/items/1', body: '{"category":""}', headers: json, status: 400, code: 'VALIDATION', field: 'category' },
  { name: 'PATCH an unknown field', method: 'PATCH', path: '/items/1', body: '{"id":5}', headers: json, status: 400, code: 'VALIDATION', field: 'id' },
  { name: 'PATCH text/plain', method: 'PATCH', path: '/items/1', body: '{"name":"x"}', headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'PATCH a body over the limit', method: 'PATCH', path: '/items/1', body: JSON.stringify({ name: 'y'.repeat(150_000) }), headers: json, status: 413, code: 'PAYLOAD_TOO_LARGE' },
  // GET and DELETE /items/:id
  ...badIds.map((id): Case => ({ name: `GET id ${id}`, path: `/items/${id}`, status: 400, code: 'VALIDATION', field: 'id' })),
  ...badIds.map((id): Case => ({ name: `DELETE id ${id}`, method: 'DELETE', path: `/items/${id}`, status: 400, code: 'VALIDATION', field: 'id' })),
  ...badIds.map((id): Case => ({ name: `GET reprepared id ${id}`, path: `/reprepared/items/${id}`, status: 400, code: 'VALIDATION', field: 'id' })),
  // GET /items: the query string
  { name: 'list limit=0', path: '/items?limit=0', status: 400, code: 'VALIDATION', field: 'query.limit' },
  { name: 'list limit=101', path: '/items?limit=101', status: 400, code: 'VALIDATION', field: 'query.limit' },
  { name: 'list limit=abc', path: '/items?limit=abc', status: 400, code: 'VALIDATION', field: 'query.limit' },
  { name: 'list limit=1.5', path: '/items?limit=1.5', status: 400, code: 'VALIDATION', field: 'query.limit' },
  { name: 'list limit given twice', path: '/items?limit=1&limit=2', status: 400, code: 'VALIDATION', field: 'query.limit' },
  { name: 'list offset=-1', path: '/items?offset=-1', status: 400, code: 'VALIDATION', field: 'query.offset' },
  { name: 'list afterId=1e3', path: '/items?afterId=1e3', status: 400, code: 'VALIDATION', field: 'query.afterId' },
  { name: 'list minPriceCents=cheap', path: '/items?minPriceCents=cheap', status: 400, code: 'VALIDATION', field: 'query.minPriceCents' },
  { name: 'list empty category', path: '/items?category=', status: 400, code: 'VALIDATION', field: 'query.category' },
  { name: 'list an unknown parameter', path: '/items?sort=price', status: 400, code: 'VALIDATION', field: 'query.sort' },
  { name: 'list a bracketed parameter', path: '/items?category[$ne]=x', status: 400, code: 'VALIDATION', field: 'query.category[$ne]' },
  // GET /search and GET /slow (this lesson's routes)
  { name: 'search without q', path: '/search', status: 400, code: 'VALIDATION', field: 'query.q' },
  { name: 'search q of 51 characters', path: `/search?q=${'a'.repeat(51)}`, status: 400, code: 'VALIDATION', field: 'query.q' },
  { name: 'search q given twice', path: '/search?q=a&q=b', status: 400, code: 'VALIDATION', field: 'query.q' },
  { name: 'search q=%00 (a NUL would match every row)', path: '/search?q=%00', status: 400, code: 'VALIDATION', field: 'query.q' },
  { name: 'search q with a NUL after text', path: '/search?q=Lamp%00', status: 400, code: 'VALIDATION', field: 'query.q' },
  { name: 'search limit=0', path: '/search?q=a&limit=0', status: 400, code: 'VALIDATION', field: 'query.limit' },
  { name: 'search an unknown parameter', path: '/search?q=a&offset=5', status: 400, code: 'VALIDATION', field: 'query.offset' },
  { name: 'slow ms=0', path: '/slow?ms=0', status: 400, code: 'VALIDATION', field: 'query.ms' },
  { name: 'slow ms=10001', path: '/slow?ms=10001', status: 400, code: 'VALIDATION', field: 'query.ms' },
  { name: 'slow ms=soon', path: '/slow?ms=soon', status: 400, code: 'VALIDATION', field: 'query.ms' },
  { name: 'slow an unknown parameter', path: '/slow?ms=5&x=1', status: 400, code: 'VALIDATION', field: 'query.x' },
  // Anything else
  { name: 'an unknown route', path: '/itemz', status: 404, code: 'NOT_FOUND' },
  { name: 'PUT (not a route of this API)', method: 'PUT', path: '/items/1', body: '{"name":"x"}', headers: json, status: 404, code: 'NOT_FOUND' },
];

const stackTrace = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+/;

describe('bad input never gets a 500 and never stops the server', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(50); });
  afterAll(async () => { await server.close(); });

  it.each(cases)('$name → $status $code', async (c) => {
    const res = await send(`${server.url}${c.path}`, { method: c.method, body: c.body, headers: c.headers });

    expect(res.status).toBe(c.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.error).toMatchObject({ code: c.code, message: expect.any(String), requestId: expect.any(String) });
    if (c.field) expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(c.field);
    expect(res.text).not.toMatch(stackTrace);

    // The server keeps serving, and the bad request changed nothing.
    const after = await send(`${server.url}/items/1`);
    expect(after.status).toBe(200);
    expect(after.body.id).toBe(1);
  });

  it('created nothing from any rejected write, and logged no unexpected error', async () => {
    const rejected = server.db.prepare("SELECT count(*) AS n FROM items WHERE sku LIKE 'B%'").get() as { n: number };
    expect(rejected.n).toBe(0);
    expect(server.db.prepare('SELECT name FROM items WHERE id = 1').get()).not.toEqual({ name: 'x' });
    expect(server.logged).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ignores the query string on routes that take none (documented: cache-busters are common)', async () => {
    expect((await send(`${server.url}/items/1?_=123`)).status).toBe(200);
    expect((await send(`${server.url}/items/stats?x=1`)).status).toBe(200);
  });
});
