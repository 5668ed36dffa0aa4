import { createItemsRepository, createMetrics } from '@course/shared';
import { createTestDatabase, listen, requestJson } from '@course/shared/testing';
import { boxBlur, crunch } from 'lesson-09';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChildProcessApp } from '../src/app.ts';
import { ChildPool } from '../src/pool/child-pool.ts';
import { faults } from './fixtures/faulty-task.ts';

const taskModule = new URL('./fixtures/faulty-task.ts', import.meta.url);
// Longer than a child's start-up on a loaded machine; the hang test waits it out.
const timeoutMs = 5000;
const body = (seed: number, extra: object = {}) => ({ size: 32, passes: 3, seed, ...extra });

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('tasks sent before a child is ready', () => {
  it('are queued by the IPC channel and answered once the child has loaded, not dropped', async () => {
    const pool = new ChildPool({ taskModule: new URL('./fixtures/slow-loading-task.ts', import.meta.url), size: 1 });
    try {
      // No await pool.ready(): both tasks are written to the channel while the child is still
      // starting, before its 'message' listener exists.
      const results = await Promise.all([pool.run<{ n: number }>({ n: 1 }), pool.run<{ n: number }>({ n: 2 })]);
      expect(results.map((r) => r.n)).toEqual([1, 2]);
      expect(pool.stats()).toMatchObject({ completed: 2, failed: 0, replaced: 0 });
    } finally {
      await pool.close();
    }
  });
});

describe('POST /crunch on a pool of child processes', () => {
  let pool: ChildPool;
  let server: Awaited<ReturnType<typeof listen>>;
  const db = createTestDatabase(5);
  const metrics = createMetrics();
  const post = (b: object) => requestJson(`${server.url}/crunch`, { method: 'POST', body: b });
  const stats = async () => (await requestJson(`${server.url}/metrics`)).body.custom.childPool;

  beforeAll(async () => {
    pool = new ChildPool({ taskModule, size: 2, maxQueue: 1 });
    await pool.ready();
    server = await listen(createChildProcessApp({ store: createItemsRepository(db), pool, metrics, taskTimeoutMs: timeoutMs }));
  });
  afterAll(async () => {
    const pids = pool.pids();
    await server.close();
    await pool.close();
    metrics.close();
    db.close();
    expect(pids.filter(alive)).toEqual([]);
  });

  it('computes in another process the same result as lesson 09 on the main thread', async () => {
    const res = await post(body(5));
    expect(res.status).toBe(200);
    expect(res.body.pid).not.toBe(process.pid);
    expect(pool.pids()).toContain(res.body.pid);
    const { pid: _pid, ...result } = res.body;
    expect(result).toEqual(crunch({ ...body(5), kernel: [...boxBlur] }));
  });

  it('answers 400 naming the field when the child rejects the input', async () => {
    const res = await post(body(1, { kernel: [0, 0, 0, 0, 0, 0, 0, 0, 0] }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'kernel' }] });
  });

  it('a child that crashes mid-task fails only its request (503), is replaced, and the other request completes', async () => {
    const before = pool.pids();
    const [crashed, other] = await Promise.all([post(body(faults.exit)), post(body(6))]);
    expect(crashed.status).toBe(503);
    expect(crashed.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/replaced/) });
    expect(other.status).toBe(200);
    await pool.ready();
    expect((await stats()).workers).toBe(2);
    expect(pool.pids().filter((pid) => !before.includes(pid))).toHaveLength(1);
  });

  it('kills a child whose task outlives the deadline, answers 504, and serves again', async () => {
    const before = pool.pids();
    const res = await post(body(faults.hang));
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('TIMEOUT');
    const gone = before.filter((pid) => !pool.pids().includes(pid));
    expect(gone).toHaveLength(1);
    await waitUntil(() => !alive(gone[0]!));
    await pool.ready();
    expect((await post(body(8))).status).toBe(200);
  });

  it('answers 503 at once when both children are busy and the queue is full', async () => {
    const hangs = [post(body(faults.hang)), post(body(faults.hang)), post(body(faults.hang))];
    while ((await stats()).queued < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const refused = await post(body(3));
    expect(refused.status).toBe(503);
    expect((await Promise.all(hangs)).map((r) => r.status)).toEqual([504, 504, 504]);
  });
});
