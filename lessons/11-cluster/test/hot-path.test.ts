/**
 * The main service's hot path: a worker answers a cached GET /items/:id without Express, with
 * the headers the Express path sends (X-Worker-Pid included).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { get } from 'node:http';
import { createItemsRepository, createMetrics, type Metrics, type RunningServer } from '@course/shared';
import { createTestDatabase, listen } from '@course/shared/testing';
import { createCoherentStore, createWorkerApp, type CoherentStore } from '../src/index.ts';

describe('the worker app', () => {
  let server: RunningServer | undefined;
  let metrics: Metrics | undefined;
  afterEach(async () => {
    await server?.close();
    metrics?.close();
    server = undefined;
    metrics = undefined;
  });

  it('answers a cache hit from the hot path with the same body and headers as the Express path', async () => {
    const coherent = createCoherentStore(createItemsRepository(createTestDatabase(20)), undefined);
    const reads = { express: 0, hot: 0 };
    // The same store, counting which read each request took.
    const store: CoherentStore = {
      ...coherent,
      getEncoded: (id) => { reads.express++; return coherent.getEncoded(id); },
      peekEncoded: (id) => {
        const entry = coherent.peekEncoded(id);
        if (entry) reads.hot++;
        return entry;
      },
    };
    metrics = createMetrics();
    server = await listen(createWorkerApp({ store, metrics }));
    const miss = await fetch(`${server.url}/items/2`);
    const hit = await fetch(`${server.url}/items/2`);
    expect(reads).toEqual({ express: 1, hot: 1 });
    expect(await hit.text()).toBe(await miss.text());
    for (const name of ['content-type', 'content-length', 'etag', 'x-worker-pid']) expect(hit.headers.get(name)).toBe(miss.headers.get(name));
    expect(hit.headers.get('x-worker-pid')).toBe(String(process.pid));
    expect(hit.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect([...hit.headers.keys()].sort()).toEqual([...miss.headers.keys()].sort());
    expect(metrics.snapshot().requests.byStatus).toEqual({ '2xx': 2 });

    // A conditional GET still gets its 304, from the Express path. node:http, not fetch: fetch
    // adds `Cache-Control: no-cache` to a conditional request, and Express then answers 200.
    const conditional = await new Promise<number>((resolve, reject) => {
      get(`${server!.url}/items/2`, { headers: { 'if-none-match': hit.headers.get('etag')! } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject);
    });
    expect(conditional).toBe(304);
    expect(reads).toEqual({ express: 2, hot: 1 });
  });
});
