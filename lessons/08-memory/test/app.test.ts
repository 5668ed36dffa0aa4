import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@course/shared';
import { createTestDatabase, listen, requestJson } from '@course/shared/testing';
import { createMemoryApp } from '../src/app.ts';

const db = createTestDatabase(10);
const metrics = createMetrics();
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => { server = await listen(createMemoryApp({ db, metrics })); });
afterAll(async () => {
  await server.close();
  metrics.close();
  db.close();
});

describe('lesson 08 app', () => {
  it('serves both /leak routers and the items API', async () => {
    expect((await requestJson(`${server.url}/leaky/leak`)).body.samples).toBe(12_800);
    expect((await requestJson(`${server.url}/fixed/leak`)).body.samples).toBe(12_800);
    expect((await requestJson(`${server.url}/items/1`)).status).toBe(200);
  });

  it('reports memory in /metrics: process.memoryUsage() and a heap summary in MB', async () => {
    const { body } = await requestJson(`${server.url}/metrics`);
    expect(body.memory.heapUsed).toBeGreaterThan(0);
    expect(body.custom.heap.heapUsedMB).toBeCloseTo(body.memory.heapUsed / 1e6, 0);
    expect(body.custom.heap.rssMB).toBeGreaterThan(body.custom.heap.heapUsedMB);
  });

  it('answers 404 with the JSON error shape for an unknown path', async () => {
    const r = await requestJson(`${server.url}/leaky/nope`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });
});
