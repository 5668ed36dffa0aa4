/**
 * A small worker-thread pool, written by hand to show the mechanics piscina hides:
 * a fixed set of threads, a bounded FIFO queue, one task per idle thread, cancellation,
 * replacement of dead threads, shutdown. Use piscina for real (see crunch/piscina-cruncher.ts).
 */
import type { Transferable, Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { PoolClosedError, QueueFullError, TaskAbortedError, WorkerExitedError } from './errors.ts';
import type { ResultMessage, TaskMessage } from './pool-worker.ts';
import { startTsWorker } from './ts-worker.ts';

/** Options for {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Absolute path (or file URL) of a module whose default export is the task function. */
  taskModule: string | URL;
  /** Threads kept alive (default: 2, the core count of the course's machine). */
  size?: number;
  /** Tasks allowed to wait for a thread; one more is rejected with QueueFullError. */
  maxQueue?: number;
}

/** Per-call options of {@link WorkerPool.run}. */
export interface RunOptions {
  /** Aborts a queued task at once; a running one by terminating its thread. */
  signal?: AbortSignal;
  /** Moved, not copied, to the worker (ArrayBuffers, MessagePorts). */
  transferList?: Transferable[];
}

/** Counters for /metrics. */
export interface PoolStats {
  threads: number;
  idle: number;
  running: number;
  queued: number;
  completed: number;
  failed: number;
  /** Threads started to replace one that died or was terminated for an abort. */
  replaced: number;
}

interface Task {
  id: number;
  payload: unknown;
  transferList: Transferable[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  task?: Task;
  /** Has run at least one task: a thread that dies before that is not restarted in a loop. */
  used?: boolean;
}

const poolWorker = new URL('./pool-worker.ts', import.meta.url);

/** A fixed-size pool of worker threads running one task module. */
export class WorkerPool {
  readonly #taskModule: string;
  readonly #maxQueue: number;
  readonly #slots = new Set<Slot>();
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;
  #stats = { completed: 0, failed: 0, replaced: 0 };

  constructor(options: WorkerPoolOptions) {
    const m = options.taskModule;
    this.#taskModule = m instanceof URL ? m.href : m.startsWith('file:') ? m : pathToFileURL(m).href;
    this.#maxQueue = options.maxQueue ?? Infinity;
    for (let i = 0; i < (options.size ?? 2); i++) this.#spawn();
  }

  /** Runs one task; resolves with the task's return value. */
  run<R = unknown>(payload: unknown, options: RunOptions = {}): Promise<R> {
    if (this.#closed) return Promise.reject(new PoolClosedError());
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new TaskAbortedError(signal.reason));
    const idle = this.#idleSlot();
    // LESSON: a bounded queue turns overload into fast, explicit refusals (503) instead of
    // requests that wait longer and longer and time out anyway.
    if (!idle && this.#queue.length >= this.#maxQueue) return Promise.reject(new QueueFullError(this.#maxQueue));
    return new Promise<R>((resolve, reject) => {
      const task: Task = {
        id: this.#nextId++, payload, transferList: options.transferList ?? [], signal,
        resolve: resolve as (value: unknown) => void, reject,
      };
      if (signal) {
        task.onAbort = () => this.#abort(task);
        signal.addEventListener('abort', task.onAbort, { once: true });
      }
      if (idle) this.#start(idle, task);
      else this.#queue.push(task);
    });
  }

  /** Current counters. */
  stats(): PoolStats {
    const slots = [...this.#slots];
    const running = slots.filter((s) => s.task).length;
    return { threads: slots.length, idle: slots.length - running, running, queued: this.#queue.length, ...this.#stats };
  }

  /**
   * Rejects queued tasks, terminates every thread (running tasks reject with
   * PoolClosedError) and resolves once all threads have exited.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of this.#queue.splice(0)) this.#settle(task, new PoolClosedError());
    const exits = [...this.#slots].map((slot) => {
      if (slot.task) this.#settle(slot.task, new PoolClosedError());
      slot.task = undefined;
      return slot.worker.terminate();
    });
    this.#slots.clear();
    await Promise.all(exits);
  }

  #spawn(): void {
    const worker = startTsWorker(poolWorker, { taskModule: this.#taskModule });
    const slot: Slot = { worker };
    this.#slots.add(slot);
    worker.on('message', (message: ResultMessage) => {
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      slot.task = undefined;
      if ('error' in message) {
        this.#stats.failed++;
        this.#settle(task, message.error instanceof Error ? message.error : new Error(String(message.error)));
      } else {
        this.#stats.completed++;
        this.#settle(task, undefined, message.result);
      }
      this.#next(slot);
    });
    // 'error' is an uncaught exception inside the thread; 'exit' always follows it.
    let crash: unknown;
    worker.on('error', (error) => { crash = error; });
    worker.on('exit', (code) => {
      if (!this.#slots.delete(slot)) return; // closed, or already replaced after an abort
      if (slot.task) {
        this.#stats.failed++;
        this.#settle(slot.task, new WorkerExitedError(code, crash));
      } else if (!slot.used) {
        // Died before its first task (a broken task module): restarting would loop forever.
        if (this.#slots.size === 0) for (const task of this.#queue.splice(0)) this.#settle(task, new WorkerExitedError(code, crash));
        return;
      }
      // LESSON: a dead thread is replaced, so one bad task does not shrink the pool for good.
      this.#replace();
    });
  }

  #replace(): void {
    if (this.#closed) return;
    this.#stats.replaced++;
    this.#spawn();
    const fresh = this.#idleSlot();
    if (fresh) this.#next(fresh);
  }

  #idleSlot(): Slot | undefined {
    for (const slot of this.#slots) if (!slot.task) return slot;
    return undefined;
  }

  #start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.used = true;
    slot.worker.postMessage({ id: task.id, task: task.payload } satisfies TaskMessage, task.transferList);
  }

  #next(slot: Slot): void {
    const task = this.#queue.shift();
    if (task) this.#start(slot, task);
  }

  #abort(task: Task): void {
    const queued = this.#queue.indexOf(task);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
    } else {
      const slot = [...this.#slots].find((s) => s.task === task);
      if (!slot) return;
      // Synchronous JavaScript cannot be interrupted from outside: the only way to stop a
      // running task is to terminate its thread and start a new one.
      slot.task = undefined;
      this.#slots.delete(slot);
      void slot.worker.terminate();
      this.#replace();
    }
    this.#stats.failed++;
    this.#settle(task, new TaskAbortedError(task.signal?.reason));
  }

  #settle(task: Task, error?: Error, result?: unknown): void {
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort);
    if (error) task.reject(error);
    else task.resolve(result);
  }
}
