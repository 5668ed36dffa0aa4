import { createItemsRepository, createMetrics } from '@course/shared';
import { createTestDatabase, listen, requestJson } from '@course/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThreadsApp } from '../src/app.ts';
import { boxBlur, crunch } from '../src/crunch/crunch.ts';
import { createCruncher } from '../src/crunch/create-cruncher.ts';
import type { CruncherName } from '../src/crunch/cruncher.ts';
import { faults } from './fixtures/faulty-task.ts';

const taskModule = new URL('./fixtures/faulty-task.ts', import.meta.url);
// Deadline for tasks: longer than a thread start-up under load, as each hang test waits it out.
const timeoutMs = 5000;
const body = (seed: number, extra: object = {}) => ({ size: 32, passes: 3, seed, ...extra });

async function start(name: CruncherName, options: { threads?: number; maxQueue?: number; taskTimeoutMs?: number } = {}) {
  const db = createTestDatabase(5);
  const metrics = createMetrics();
  const cruncher = createCruncher(name, { threads: options.threads ?? 1, maxQueue: options.maxQueue ?? 8, taskModule });
  const logged: unknown[] = [];
  const app = createThreadsApp({ store: createItemsRepository(db), cruncher, metrics, taskTimeoutMs: options.taskTimeoutMs ?? timeoutMs, logError: (error) => logged.push(error) });
  const server = await listen(app);
  // The first task waits for a thread to start (tsx included): seconds on a loaded machine.
  if (name !== 'main-thread') await requestJson(`${server.url}/crunch`, { method: 'POST', body: body(1) });
  return {
    server, cruncher, logged,
    stats: async () => (await requestJson(`${server.url}/metrics`)).body.custom.cruncher as Record<string, number>,
    close: async () => { await server.close(); await cruncher.close(); metrics.close(); db.close(); },
  };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe.each(['hand-pool', 'piscina'] as const)('POST /crunch on %s', (name) => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => { s = await start(name, { threads: 1 }); });
  afterAll(async () => { await s.close(); });

  it('computes the crunch on a worker thread, with the same result as the main thread', async () => {
    const res = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(5) });
    expect(res.status).toBe(200);
    expect(res.body.threadId).toBeGreaterThan(0);
    expect({ ...res.body, threadId: 0 }).toEqual(crunch({ ...body(5), kernel: [...boxBlur] }));
  });

  it('answers 400 naming the field when the task rejects its input, and keeps serving', async () => {
    const res = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(1, { kernel: [1, -1, 0, 0, 0, 0, 0, 0, 0] }) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'kernel' }] });
    expect((await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(2) })).status).toBe(200);
  });

  it('answers a task that throws a bug with the error shape and no stack, and keeps serving', async () => {
    const res = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(faults.bug) });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error', requestId: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toMatch(/TypeError|a bug/);
    expect(String(s.logged.at(-1))).toMatch(/a bug in the task/);
    expect((await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(2) })).status).toBe(200);
  });

  it('answers 503 when the worker dies mid-task, and a replacement thread serves the next request', async () => {
    const res = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(faults.exit) });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('UNAVAILABLE');
    const next = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(3) });
    expect(next.status).toBe(200);
    expect((await s.stats()).threads).toBe(1);
  });

  it('cancels a task that outlives its deadline with 504 TIMEOUT, then serves again', async () => {
    const res = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(faults.hang) });
    expect(res.status).toBe(504);
    expect(res.body.error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/5000 ms/) });
    expect((await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(4) })).status).toBe(200);
  });

  it('rejects 400 for a bad body before any thread is involved', async () => {
    const res = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: { size: 1e9, passes: 'many' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['size', 'passes']);
  });
});

describe.each(['hand-pool', 'piscina'] as const)('queue bound on %s', (name) => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    s = await start(name, { threads: 1, maxQueue: 1 });
  });
  afterAll(async () => { await s.close(); });

  it('answers 503 at once when the one thread is busy and the queue is full', async () => {
    const first = requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(faults.hang) });
    const second = requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(faults.hang) });
    await until(async () => (await s.stats()).queued === 1);
    const third = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(2) });
    expect(third.status).toBe(503);
    expect(third.body.error.code).toBe('UNAVAILABLE');
    expect([(await first).status, (await second).status]).toEqual([504, 504]);
    expect((await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(2) })).status).toBe(200);
  });
});

describe.each(['hand-pool', 'piscina'] as const)('no queue at all (maxQueue 0) on %s', (name) => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => { s = await start(name, { threads: 1, maxQueue: 0 }); });
  afterAll(async () => { await s.close(); });

  it('serves a request on an idle thread, refuses one while the thread is busy, and serves again', async () => {
    expect((await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(2) })).status).toBe(200);
    const busy = requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(faults.hang) });
    await until(async () => (await s.stats()).running === 1);
    const refused = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(3) });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('UNAVAILABLE');
    expect((await busy).status).toBe(504);
    expect((await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(4) })).status).toBe(200);
  });
});

describe('the other variants', () => {
  const started: { close: () => Promise<void> }[] = [];
  afterAll(async () => { for (const s of started) await s.close(); });

  it('main-thread computes the same result on thread 0', async () => {
    const s = await start('main-thread');
    started.push(s);
    const res = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(5) });
    expect(res.body).toEqual(crunch({ ...body(5), kernel: [...boxBlur] }));
  });

  it('worker-per-request computes on a new thread each time and survives a crash and a timeout', async () => {
    const s = await start('worker-per-request');
    started.push(s);
    const a = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(5) });
    const b = await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(5) });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.threadId).toBeGreaterThan(0);
    expect(b.body.threadId).not.toBe(a.body.threadId);
    expect((await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(faults.exit) })).status).toBe(503);
    expect((await requestJson(`${s.server.url}/crunch`, { method: 'POST', body: body(faults.hang) })).status).toBe(504);
    await until(async () => (await s.stats()).threads === 0);
  });
});


describe('a hand-written pool whose threads cannot load the task module', () => {
  it('answers 503 at once, saying no worker could start, instead of queueing until the deadline', async () => {
    const db = createTestDatabase(1);
    const cruncher = createCruncher('hand-pool', { threads: 1, taskModule: new URL('./fixtures/broken-task.ts', import.meta.url) });
    const app = createThreadsApp({ store: createItemsRepository(db), cruncher, taskTimeoutMs: 600_000 });
    const server = await listen(app);
    try {
      // The first request may reach the thread while it loads: it fails with the thread.
      await requestJson(`${server.url}/crunch`, { method: 'POST', body: body(1) });
      await until(async () => cruncher.stats().threads === 0);
      // A queued task would wait for the 600 s deadline: the test would time out instead.
      const res = await requestJson(`${server.url}/crunch`, { method: 'POST', body: body(2) });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/could start/) });
    } finally {
      await server.close();
      await cruncher.close();
      db.close();
    }
  });
});
