import { afterEach, describe, expect, it } from 'vitest';
import { createItemsRepository, type ItemsRepository, type RunningServer } from '@course/shared';
import { createTestDatabase, listen, requestJson } from '@course/shared/testing';
import { createApi, type CatalogMode } from '../src/index.ts';

describe('conditional GET and the pre-encoded catalog', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  async function start(catalog: CatalogMode = 'buffered'): Promise<{ url: string; repo: ItemsRepository }> {
    const repo = createItemsRepository(createTestDatabase(200));
    server = await listen(createApi({ repo, catalog, catalogSize: 150 }));
    return { url: server.url, repo };
  }
  // fetch() adds `Cache-Control: no-cache` to a request carrying If-None-Match unless one is
  // set, and Express (the `fresh` package) never answers 304 to no-cache. `max-age=0` is what
  // a browser sends when it revalidates.
  const conditional = (url: string, etag: string) => fetch(url, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });

  it('answers 304 with no body for an item whose ETag matches, and 200 with a new ETag after a PATCH', async () => {
    const { url } = await start();
    const first = await fetch(`${url}/items/5`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const again = await conditional(`${url}/items/5`, etag);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    await requestJson(`${url}/items/5`, { method: 'PATCH', body: { priceCents: 12345 } });
    const changed = await conditional(`${url}/items/5`, etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as { priceCents: number }).priceCents).toBe(12345);
  });

  it('answers 200, not 304, when the client forces a reload with Cache-Control: no-cache', async () => {
    const { url } = await start();
    const etag = (await fetch(`${url}/items/5`)).headers.get('etag')!;
    const forced = await fetch(`${url}/items/5`, { headers: { 'if-none-match': etag, 'cache-control': 'no-cache' } });
    expect(forced.status).toBe(200);
  });

  it('answers 304 for an unchanged list page, and 200 once an item on it changes', async () => {
    const { url } = await start();
    const page = `${url}/items?limit=20&fields=id,name`;
    const etag = (await fetch(page)).headers.get('etag')!;
    expect((await conditional(page, etag)).status).toBe(304);
    // A change to a field the page does not show leaves its bytes, and so its ETag, alone.
    await requestJson(`${url}/items/3`, { method: 'PATCH', body: { priceCents: 1 } });
    expect((await conditional(page, etag)).status).toBe(304);
    await requestJson(`${url}/items/3`, { method: 'PATCH', body: { name: 'Renamed' } });
    const changed = await conditional(page, etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('serves the catalog as exactly the bytes JSON.stringify gives for the current items', async () => {
    const { url, repo } = await start('buffered');
    const body = await (await fetch(`${url}/catalog`)).text();
    expect(body).toBe(JSON.stringify({ items: repo.list({ limit: 150 }) }));
    const perRequest = await start('per-request');
    expect(await (await fetch(`${perRequest.url}/catalog`)).text()).toBe(JSON.stringify({ items: perRequest.repo.list({ limit: 150 }) }));
  });

  it.each(['buffered', 'per-request'] as const)('%s catalog: drops its copy on every write, and its ETag changes', async (mode) => {
    const { url, repo } = await start(mode);
    const first = await fetch(`${url}/catalog`);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    expect((await conditional(`${url}/catalog`, etag)).status).toBe(304);

    const created = await requestJson(`${url}/items`, { method: 'POST', body: { sku: 'CAT-1', name: 'New', category: 'toys', priceCents: 5 } });
    expect(created.status).toBe(201);
    await requestJson(`${url}/items/2`, { method: 'PATCH', body: { name: 'Patched into the catalog' } });
    await requestJson(`${url}/items/4`, { method: 'DELETE' });

    const after = await conditional(`${url}/catalog`, etag);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const body = await after.text();
    expect(body).toBe(JSON.stringify({ items: repo.list({ limit: 150 }) }));
    expect(body).toContain('Patched into the catalog');
    expect(body).not.toContain('"id":4,');
  });

  it('does not drop the catalog for a write that failed (404, 409)', async () => {
    const { url } = await start('buffered');
    const etag = (await fetch(`${url}/catalog`)).headers.get('etag')!;
    expect((await requestJson(`${url}/items/9999`, { method: 'PATCH', body: { name: 'x' } })).status).toBe(404);
    const sku = (await requestJson(`${url}/items/1`)).body.sku;
    expect((await requestJson(`${url}/items/2`, { method: 'PATCH', body: { sku } })).status).toBe(409);
    expect((await conditional(`${url}/catalog`, etag)).status).toBe(304);
  });
});
