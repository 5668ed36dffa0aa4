import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiApp, createItemsRepository, type RunningServer } from '@course/shared';
import { createTestDatabase, listen, requestJson } from '@course/shared/testing';
import type { FastifyInstance } from 'fastify';
import { createCachedStore } from 'lesson-03';
import { createFastifyApi } from '../src/fastify-app.ts';

describe('the items API on fastify', () => {
  let server: RunningServer | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await server?.close();
    await app?.close();
    server = undefined;
    app = undefined;
  });

  async function start(bodyLimit?: number): Promise<string> {
    app = createFastifyApi({ store: createCachedStore(createItemsRepository(createTestDatabase(20))), bodyLimit });
    await app.ready();
    const fastify = app;
    server = await listen((req, res) => fastify.routing(req, res));
    return server.url;
  }

  /** The one error shape: code and message, details only for fields, the request id; nothing else. */
  function expectErrorShape(body: any, status: number, code: string, res: { status: number; headers: Headers }): void {
    expect(res.status).toBe(status);
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    expect(Object.keys(body.error).every((k) => ['code', 'message', 'details', 'requestId'].includes(k))).toBe(true);
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  }

  it('answers GET /items/:id with the same JSON as the Express service, and a request id', async () => {
    const repo = createItemsRepository(createTestDatabase(20));
    const express = await listen(createApiApp({ store: repo }));
    try {
      const url = await start();
      const viaFastify = await requestJson(`${url}/items/3`);
      const viaExpress = await requestJson(`${express.url}/items/3`);
      expect(viaFastify.status).toBe(200);
      expect(viaFastify.body).toEqual(viaExpress.body);
      expect(viaFastify.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(viaFastify.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect((await requestJson(`${url}/items/3`, { headers: { 'x-request-id': 'abc.1' } })).headers.get('x-request-id')).toBe('abc.1');
    } finally {
      await express.close();
    }
  });

  it('answers 404 in the error shape for an unknown item and an unknown route', async () => {
    const url = await start();
    const item = await requestJson(`${url}/items/999`);
    expectErrorShape(item.body, 404, 'NOT_FOUND', item);
    const route = await requestJson(`${url}/nope`);
    expectErrorShape(route.body, 404, 'NOT_FOUND', route);
    expect(route.body.error.message).toBe('Route GET /nope not found');
  });

  it('answers 400 naming the field for a bad id, an unknown or wrong field, and malformed JSON', async () => {
    const url = await start();
    const badId = await requestJson(`${url}/items/01`);
    expectErrorShape(badId.body, 400, 'VALIDATION', badId);
    expect(badId.body.error.details[0].field).toBe('id');
    const typo = await requestJson(`${url}/items`, { method: 'POST', body: { sku: 'A-1', name: 'Lamp', category: 'home', prce: 5, priceCents: 5 } });
    expectErrorShape(typo.body, 400, 'VALIDATION', typo);
    expect(typo.body.error.details).toContainEqual({ field: 'prce', message: 'unknown field' });
    const wrongType = await requestJson(`${url}/items/2`, { method: 'PATCH', body: { priceCents: '12' } });
    expectErrorShape(wrongType.body, 400, 'VALIDATION', wrongType);
    expect(wrongType.body.error.details[0].field).toBe('priceCents');
    const malformed = await requestJson(`${url}/items`, { method: 'POST', body: '{"sku": ' });
    expectErrorShape(malformed.body, 400, 'BAD_REQUEST', malformed);
    const query = await requestJson(`${url}/items?limit=1000`);
    expectErrorShape(query.body, 400, 'VALIDATION', query);
    expect(query.body.error.details[0].field).toBe('query.limit');
  });

  it('answers 413 for a body over the limit and 415 for a body that is not JSON, and keeps serving', async () => {
    const url = await start(200);
    const large = await requestJson(`${url}/items`, { method: 'POST', body: { sku: 'B-1', name: 'x'.repeat(300), category: 'home', priceCents: 1 } });
    expectErrorShape(large.body, 413, 'PAYLOAD_TOO_LARGE', large);
    const text = await requestJson(`${url}/items`, { method: 'POST', body: 'sku=B-1', headers: { 'content-type': 'text/plain' } });
    expectErrorShape(text.body, 415, 'UNSUPPORTED_MEDIA_TYPE', text);
    expect((await requestJson(`${url}/items/1`)).status).toBe(200);
  });

  it('creates, updates and deletes through the cache: a write is seen by the next read', async () => {
    const url = await start();
    const created = await requestJson(`${url}/items`, { method: 'POST', body: { sku: 'C-1', name: 'Kettle', category: 'kitchen', priceCents: 999, tags: ['tea'] } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/items/${created.body.id}`);
    expect((await requestJson(`${url}/items/${created.body.id}`)).body.name).toBe('Kettle');
    const patched = await requestJson(`${url}/items/${created.body.id}`, { method: 'PATCH', body: { name: 'Teapot' } });
    expect(patched.body.name).toBe('Teapot');
    expect((await requestJson(`${url}/items/${created.body.id}`)).body.name).toBe('Teapot');
    expect((await requestJson(`${url}/items/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await requestJson(`${url}/items/${created.body.id}`)).status).toBe(404);
    const duplicate = await requestJson(`${url}/items`, { method: 'POST', body: { sku: 'C-1', name: 'Again', category: 'kitchen', priceCents: 1 } });
    expect(duplicate.status).toBe(201); // the deleted item's SKU is free again
    const conflict = await requestJson(`${url}/items`, { method: 'POST', body: { sku: 'C-1', name: 'Twice', category: 'kitchen', priceCents: 1 } });
    expectErrorShape(conflict.body, 409, 'CONFLICT', conflict);
  });

  it('answers an unexpected failure with 500 INTERNAL, logged, its message and stack never sent', async () => {
    const repo = createItemsRepository(createTestDatabase(5));
    const failing = { ...createCachedStore(repo), get: async () => { throw new Error('disk on fire'); } };
    app = createFastifyApi({ store: failing });
    await app.ready();
    const fastify = app;
    server = await listen((req, res) => fastify.routing(req, res));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await requestJson(`${server.url}/items/1`);
      expectErrorShape(res.body, 500, 'INTERNAL', res);
      expect(JSON.stringify(res.body)).not.toContain('disk on fire');
      expect(String(logged.mock.calls[0]?.[1])).toContain('disk on fire');
    } finally {
      logged.mockRestore();
    }
  });
});
