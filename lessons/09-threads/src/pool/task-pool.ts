/**
 * The algorithm of a fixed-size pool, written by hand to show what piscina hides: a fixed set
 * of workers, a bounded FIFO queue, one task per idle worker, cancellation, replacement of
 * dead workers, shutdown. What a worker *is* comes in as a {@link StartWorker} function: a
 * thread in lesson 09 (worker-pool.ts), a child process in lesson 10 (child-pool.ts).
 * Use piscina for threads in real code (crunch/piscina-pool.ts).
 */
import type { Transferable } from 'node:worker_threads';
import { PoolClosedError, PoolStartError, QueueFullError, TaskAbortedError, WorkerExitedError } from './errors.ts';

/** One worker, as the pool drives it. */
export interface PoolWorker {
  /** Sends one task; it may be sent before the worker is ready (messages wait for it). */
  post(id: number, payload: unknown, transferList: readonly Transferable[]): void;
  /** Stops it at once: the only way to interrupt a task that runs synchronous code. */
  kill(): void;
  /** Stops it at shutdown; resolves once it has exited. */
  stop(): Promise<void>;
}

/** What a worker reports back to the pool. */
export interface PoolWorkerEvents {
  /** The task module is loaded. */
  ready(): void;
  result(id: number, value: unknown): void;
  failure(id: number, error: Error): void;
  /** The worker is gone (crash, exit, kill). */
  exit(code: number | undefined, cause?: unknown): void;
}

/** Starts one worker wired to `events`. */
export type StartWorker = (events: PoolWorkerEvents) => PoolWorker;

/** Options of {@link TaskPool}. */
export interface TaskPoolOptions {
  /** Workers kept alive (default 2, the core count of the course's machine). */
  size?: number;
  /** Tasks allowed to wait for a worker; one more is rejected with QueueFullError. */
  maxQueue?: number;
}

/** Per-call options of {@link TaskPool.run}. */
export interface RunOptions {
  /** Aborts a queued task at once; a running one by killing its worker. */
  signal?: AbortSignal;
  /** Moved, not copied, to a thread (ArrayBuffers, MessagePorts); processes ignore it. */
  transferList?: Transferable[];
}

/** Counters for /metrics. */
export interface TaskPoolStats {
  workers: number;
  idle: number;
  running: number;
  queued: number;
  completed: number;
  failed: number;
  /** Workers started to replace one that died or was killed for an abort. */
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
  worker: PoolWorker;
  task?: Task;
  /** Loaded its task module: a worker that dies before that is not restarted in a loop. */
  ready: boolean;
  /** Settles when the worker is ready or has exited, whichever comes first. */
  started: Promise<void>;
}

/** A fixed-size pool of workers running one task module. */
export class TaskPool {
  readonly #start: StartWorker;
  readonly #maxQueue: number;
  readonly #slots = new Set<Slot>();
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;
  /** Set once every worker has died while loading: the pool has nothing left to run tasks on. */
  #startFailure: PoolStartError | undefined;
  /** Some worker has loaded the task module, so the module itself is sound. */
  #loadedOnce = false;
  #stats = { completed: 0, failed: 0, replaced: 0 };

  constructor(start: StartWorker, options: TaskPoolOptions = {}) {
    this.#start = start;
    this.#maxQueue = options.maxQueue ?? Infinity;
    for (let i = 0; i < (options.size ?? 2); i++) this.#spawn();
  }

  /** Runs one task; resolves with the task's return value. */
  run<R = unknown>(payload: unknown, options: RunOptions = {}): Promise<R> {
    if (this.#closed) return Promise.reject(new PoolClosedError());
    // LESSON: a pool with no worker left refuses at once; queueing would wait for nothing.
    if (this.#startFailure) return Promise.reject(this.#startFailure);
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
      if (idle) this.#run(idle, task);
      else this.#queue.push(task);
    });
  }

  /** Current counters. */
  stats(): TaskPoolStats {
    const slots = [...this.#slots];
    const running = slots.filter((s) => s.task).length;
    return { workers: slots.length, idle: slots.length - running, running, queued: this.#queue.length, ...this.#stats };
  }

  /**
   * Resolves once every worker has loaded its task module; rejects with PoolStartError when
   * none could (they all exited while loading it). A server awaits this before it listens, so
   * the first requests do not spend their deadline waiting for start-up, and a server whose
   * task module is broken fails to start instead of answering every request with an error.
   */
  async ready(): Promise<void> {
    // Replacements can join while we wait: wait until no worker is still loading.
    for (let loading = [...this.#slots].filter((s) => !s.ready); loading.length > 0; loading = [...this.#slots].filter((s) => !s.ready)) {
      await Promise.all(loading.map((s) => s.started));
    }
    if (this.#startFailure) throw this.#startFailure;
  }

  /**
   * Rejects queued and running tasks (PoolClosedError), stops every worker and resolves once
   * all have exited.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of this.#queue.splice(0)) this.#settle(task, new PoolClosedError());
    const exits = [...this.#slots].map((slot) => {
      if (slot.task) this.#settle(slot.task, new PoolClosedError());
      slot.task = undefined;
      return slot.worker.stop();
    });
    this.#slots.clear();
    await Promise.all(exits);
  }

  #spawn(): void {
    let started!: () => void;
    const slot = { ready: false, started: new Promise<void>((resolve) => { started = resolve; }) } as Slot;
    const finish = (id: number, error?: Error, value?: unknown): void => {
      const task = slot.task;
      // LESSON: the id pairs answer and task; a late answer for a task given up on is dropped.
      if (!task || task.id !== id) return;
      slot.task = undefined;
      if (error) this.#stats.failed++;
      else this.#stats.completed++;
      this.#settle(task, error, value);
      this.#next(slot);
    };
    slot.worker = this.#start({
      ready: () => { slot.ready = true; this.#loadedOnce = true; started(); },
      result: (id, value) => finish(id, undefined, value),
      failure: (id, error) => finish(id, error),
      exit: (code, cause) => {
        started();
        if (!this.#slots.delete(slot)) return; // closed, or already replaced after an abort
        const task = slot.task;
        if (task) {
          this.#stats.failed++;
          this.#settle(task, new WorkerExitedError(code, cause));
        }
        // Died while loading (a broken task module): restarting would loop forever. (A worker
        // that the 'ready' message had not yet reached when its task killed it is replaced, if
        // the module has loaded elsewhere.) With no worker left, the pool can run nothing:
        // fail what waits and refuse what comes, instead of queueing tasks nothing will drain.
        if (!slot.ready && !(task && this.#loadedOnce)) {
          if (this.#slots.size === 0) {
            this.#startFailure = new PoolStartError(code, cause);
            for (const task of this.#queue.splice(0)) this.#settle(task, this.#startFailure);
          }
          return;
        }
        // LESSON: a dead worker is replaced, so one bad task does not shrink the pool for good.
        this.#replace();
      },
    });
    this.#slots.add(slot);
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

  #run(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker.post(task.id, task.payload, task.transferList);
  }

  #next(slot: Slot): void {
    const task = this.#queue.shift();
    if (task) this.#run(slot, task);
  }

  #abort(task: Task): void {
    const queued = this.#queue.indexOf(task);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
    } else {
      const slot = [...this.#slots].find((s) => s.task === task);
      if (!slot) return;
      // Synchronous JavaScript cannot be interrupted from outside: the only way to stop a
      // running task is to kill its worker and start a new one.
      slot.task = undefined;
      this.#slots.delete(slot);
      slot.worker.kill();
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
