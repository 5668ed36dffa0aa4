import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from '@course/shared/testing';
import { newItem, startTestServer, type TestServer } from './helpers.ts';

// Up to 200 code points each (the schema's limit: zod 4 counts code points, not UTF-16 units
// and not what a reader sees as one character).
const thumbs = '👍🏽'.repeat(100); // 200 code points, 400 UTF-16 units, 800 UTF-8 bytes
const family = '👩‍👩‍👧‍👦'.repeat(28) + 'ab'; // 198 code points, 30 glyphs
const zalgo = ('Z' + '\u0336\u0301\u0308\u0323').repeat(40);
const rtl = 'שלום עולם \u202Eevil.exe\u202C مرحبا بالعالم '.repeat(4).trim();
const codePoints = (s: string): number => [...s].length;

const values: [string, string][] = [
  ['a SQL injection attempt', "Robert'); DROP TABLE items;--"],
  ['LIKE wildcards and escapes', String.raw`100% off_now \ "quoted" 'single' ; -- /* */`],
  ['an always-true clause', "x' OR '1'='1"],
  ['an embedded NUL', 'before\u0000after'],
  ['200 code units of skin-toned emoji', thumbs],
  ['ZWJ family emoji', family],
  ['stacked combining marks', zalgo],
  ['RTL text with a bidi override', rtl],
];

describe('text is stored and returned exactly', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(20); });
  afterAll(async () => { await server.close(); });

  it.each(values)('%s survives create, read and list unchanged', async (_label, value) => {
    expect(codePoints(value)).toBeLessThanOrEqual(200);
    const sku = `EXACT-${values.findIndex(([, v]) => v === value)}-${[...value].slice(0, 20).join('')}`;
    const tag = [...value].slice(0, 30).join('');
    const created = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem(sku, { name: value, tags: [tag] }) });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(value);

    const read = await requestJson(`${server.url}/items/${created.body.id}`);
    expect(read.body.name).toBe(value);
    expect(read.body.sku).toBe(sku);
    expect(read.body.tags).toEqual([tag]);

    const listed = await requestJson(`${server.url}/items?afterId=${created.body.id - 1}&limit=1`);
    expect(listed.body.items[0].name).toBe(value);
    // The table is still there (nothing was executed from the text).
    expect((await requestJson(`${server.url}/items/1`)).status).toBe(200);
  });

  it('stores a PATCHed value exactly', async () => {
    const created = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('EXACT-PATCH') });
    const patched = await requestJson(`${server.url}/items/${created.body.id}`, { method: 'PATCH', body: { name: rtl, category: "'; --" } });
    expect(patched.status).toBe(200);
    const read = await requestJson(`${server.url}/items/${created.body.id}`);
    expect(read.body).toMatchObject({ name: rtl, category: "'; --" });
  });

  it('accepts 200 code points and rejects 201 (the limit counts code points, not UTF-16 units)', async () => {
    const ok = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('EXACT-200', { name: '😀'.repeat(200) }) });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe('😀'.repeat(200));
    const tooLong = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('EXACT-201', { name: '😀'.repeat(201) }) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details[0].field).toBe('name');
  });

  it('rejects a lone surrogate with 400 naming the field (valid JSON, not valid Unicode, not storable as UTF-8)', async () => {
    const res = await requestJson(`${server.url}/items`, { method: 'POST', body: '{"sku":"EXACT-LONE","name":"a\\ud83db","category":"c","priceCents":1}' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'name', message: 'must be valid Unicode (no lone surrogates)' }]);
  });

  it('does not normalise Unicode: precomposed and decomposed é are different SKUs', async () => {
    const composed = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('caf\u00e9') });
    const decomposed = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('cafe\u0301') });
    expect(composed.status).toBe(201);
    expect(decomposed.status).toBe(201);
    expect(decomposed.body.sku).toBe('cafe\u0301');
  });

  it('trims surrounding whitespace (documented policy), nothing else', async () => {
    const res = await requestJson(`${server.url}/items`, { method: 'POST', body: newItem('  EXACT-TRIM\t', { name: '\u200F padded \u200F' }) });
    expect(res.status).toBe(201);
    expect(res.body.sku).toBe('EXACT-TRIM');
    // U+200F (RIGHT-TO-LEFT MARK) is not whitespace to String.prototype.trim, so it stays.
    expect(res.body.name).toBe('\u200F padded \u200F');
  });

  it('search matches % and _ literally, not as wildcards', async () => {
    const percent = await requestJson(`${server.url}/search?q=${encodeURIComponent('%')}`);
    expect(percent.status).toBe(200);
    expect(percent.body.total).toBe(1);
    expect(percent.body.items[0].name).toContain('100% off_now');
    const underscore = await requestJson(`${server.url}/search?q=${encodeURIComponent('f_n')}`);
    expect(underscore.body.total).toBe(1);
    const none = await requestJson(`${server.url}/search?q=${encodeURIComponent('o_f')}`);
    expect(none.body.total).toBe(0);
  });

  it('logged no unexpected error', () => {
    expect(server.logged).toEqual([]);
  });
});
