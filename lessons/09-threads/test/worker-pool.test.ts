import { afterEach, describe, expect, it } from 'vitest';
import { boxBlur, crunch, type CrunchInput } from '../src/crunch/crunch.ts';
import { PoolClosedError, PoolStartError, QueueFullError, TaskAbortedError, WorkerExitedError } from '../src/pool/errors.ts';
import { WorkerPool } from '../src/pool/worker-pool.ts';
import { faults } from './fixtures/faulty-task.ts';

const taskModule = new URL('./fixtures/faulty-task.ts', import.meta.url);
const brokenModule = new URL('./fixtures/broken-task.ts', import.meta.url);
const input = (seed: number): CrunchInput => ({ size: 16, passes: 2, seed, kernel: [...boxBlur] });
const gate = (): { buffer: SharedArrayBuffer; open: () => void } => {
  const buffer = new SharedArrayBuffer(4);
  return { buffer, open: () => { Atomics.store(new Int32Array(buffer), 0, 1); Atomics.notify(new Int32Array(buffer), 0); } };
};

describe('WorkerPool (hand-written)', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => { await pool?.close(); pool = undefined; });

  it('runs tasks on worker threads and returns what the main thread would compute', async () => {
    pool = new WorkerPool({ taskModule, size: 2 });
    const results = await Promise.all([1, 2, 3, 4].map((seed) => pool!.run<ReturnType<typeof crunch>>(input(seed))));
    results.forEach((result, i) => {
      expect(result.threadId).toBeGreaterThan(0);
      expect({ ...result, threadId: 0 }).toEqual(crunch(input(i + 1)));
    });
    expect(pool.stats()).toMatchObject({ workers: 2, idle: 2, completed: 4, failed: 0 });
  });

  it('rejects a task that throws with its error and keeps the same thread serving', async () => {
    pool = new WorkerPool({ taskModule, size: 1 });
    await expect(pool.run(input(faults.bug))).rejects.toThrow(/a bug in the task/);
    await expect(pool.run(input(1))).resolves.toMatchObject({ size: 16 });
    expect(pool.stats()).toMatchObject({ workers: 1, failed: 1, completed: 1, replaced: 0 });
  });

  it('rejects the task of a thread that exits and replaces the thread', async () => {
    pool = new WorkerPool({ taskModule, size: 1 });
    const error = await pool.run(input(faults.exit)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerExitedError);
    expect((error as WorkerExitedError).exitCode).toBe(3);
    await expect(pool.run(input(1))).resolves.toMatchObject({ size: 16 });
    expect(pool.stats()).toMatchObject({ workers: 1, replaced: 1 });
  });

  it('cancels a running task when its signal aborts, by replacing its thread', async () => {
    pool = new WorkerPool({ taskModule, size: 1 });
    const controller = new AbortController();
    const running = pool.run(input(faults.hang), { signal: controller.signal });
    controller.abort(new Error('deadline'));
    await expect(running).rejects.toBeInstanceOf(TaskAbortedError);
    await expect(pool.run(input(1))).resolves.toMatchObject({ size: 16 });
    expect(pool.stats()).toMatchObject({ workers: 1, replaced: 1 });
  });

  it('bounds the queue: one task too many is refused at once, the others complete', async () => {
    pool = new WorkerPool({ taskModule, size: 1, maxQueue: 1 });
    const { buffer, open } = gate();
    const first = pool.run({ gate: buffer });
    const second = pool.run(input(1));
    await expect(pool.run(input(2))).rejects.toBeInstanceOf(QueueFullError);
    expect(pool.stats()).toMatchObject({ running: 1, queued: 1 });
    open();
    await expect(first).resolves.toMatchObject({ released: true });
    await expect(second).resolves.toMatchObject({ size: 16 });
  });

  it('removes an aborted task from the queue without running it', async () => {
    pool = new WorkerPool({ taskModule, size: 1 });
    const { buffer, open } = gate();
    const first = pool.run({ gate: buffer });
    const controller = new AbortController();
    const queued = pool.run(input(1), { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(TaskAbortedError);
    expect(pool.stats()).toMatchObject({ queued: 0, replaced: 0 });
    open();
    await first;
    expect(pool.stats()).toMatchObject({ completed: 1 });
  });

  it('rejects ready() and every later task at once when no thread can load the task module', async () => {
    pool = new WorkerPool({ taskModule: brokenModule, size: 2 });
    // Sent while the threads are still loading: it must fail too, not wait in the queue.
    const early = pool.run(input(1)).catch((e: unknown) => e);
    const started = await pool.ready().then(() => 'ready', (e: unknown) => e);
    expect(started).toBeInstanceOf(PoolStartError);
    expect((started as Error).message).toMatch(/could start.*broken on purpose/);
    expect(await early).toBeInstanceOf(Error);
    // No worker left: refused at once (a queued task would make this await time out).
    await expect(pool.run(input(2))).rejects.toBeInstanceOf(PoolStartError);
    expect(pool.stats()).toMatchObject({ workers: 0, queued: 0, replaced: 0 });
  });

  it('close() rejects queued and running tasks, stops every thread, and refuses new tasks', async () => {
    pool = new WorkerPool({ taskModule, size: 1 });
    const running = pool.run(input(faults.hang));
    const queued = pool.run(input(1));
    const outcomes = Promise.allSettled([running, queued]);
    await pool.close();
    const [r, q] = await outcomes;
    expect(r.status === 'rejected' && r.reason).toBeInstanceOf(PoolClosedError);
    expect(q.status === 'rejected' && q.reason).toBeInstanceOf(PoolClosedError);
    await expect(pool.run(input(1))).rejects.toBeInstanceOf(PoolClosedError);
    expect(pool.stats()).toMatchObject({ workers: 0 });
  });
});
