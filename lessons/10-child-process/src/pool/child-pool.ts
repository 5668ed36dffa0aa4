/**
 * A pool of forked child processes running one task module: the process-based twin of
 * lesson 09's WorkerPool. Children cost more to start and to talk to than threads, but a
 * child has its own heap and its own crash domain (a segfault or an OOM kills only it).
 */
import type { ChildProcess, SerializationType } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PoolClosedError, QueueFullError, TaskAbortedError, WorkerExitedError } from 'lesson-09';
import { forkTs } from '../fork-ts.ts';
import type { ChildMessage, TaskRequest } from './protocol.ts';

/** Options for {@link ChildPool}. */
export interface ChildPoolOptions {
  /** File URL of a module whose default export is the task. */
  taskModule: URL;
  /** Children kept alive (default 2). */
  size?: number;
  /** Tasks allowed to wait; more are rejected with QueueFullError (default Infinity). */
  maxQueue?: number;
  /** IPC encoding: 'json' (default) or 'advanced' (structured clone: Buffers, Maps, Dates...). */
  serialization?: SerializationType;
}

/** Counters for /metrics. */
export interface ChildPoolStats {
  children: number; idle: number; running: number; queued: number;
  completed: number; failed: number; replaced: number;
}

interface Task {
  id: number;
  payload: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot { child: ChildProcess; task?: Task; ready: boolean; started: Promise<void> }

const poolChild = new URL('./pool-child.ts', import.meta.url);

/** A fixed-size pool of child processes. */
export class ChildPool {
  readonly #options: Required<Omit<ChildPoolOptions, 'taskModule'>> & { taskModule: URL };
  readonly #slots = new Set<Slot>();
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;
  #stats = { completed: 0, failed: 0, replaced: 0 };

  constructor(options: ChildPoolOptions) {
    this.#options = { size: 2, maxQueue: Infinity, serialization: 'json', ...options };
    for (let i = 0; i < this.#options.size; i++) this.#spawn();
  }

  /** Runs one task in a child; `signal` cancels it (a running task by killing its child). */
  run<R = unknown>(payload: unknown, options: { signal?: AbortSignal } = {}): Promise<R> {
    if (this.#closed) return Promise.reject(new PoolClosedError());
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new TaskAbortedError(signal.reason));
    const idle = this.#idleSlot();
    if (!idle && this.#queue.length >= this.#options.maxQueue) return Promise.reject(new QueueFullError(this.#options.maxQueue));
    return new Promise<R>((resolve, reject) => {
      const task: Task = { id: this.#nextId++, payload, resolve: resolve as (v: unknown) => void, reject, signal };
      if (signal) {
        task.onAbort = () => this.#abort(task);
        signal.addEventListener('abort', task.onAbort, { once: true });
      }
      if (idle) this.#start(idle, task);
      else this.#queue.push(task);
    });
  }

  /** Current counters. */
  stats(): ChildPoolStats {
    const slots = [...this.#slots];
    const running = slots.filter((s) => s.task).length;
    return { children: slots.length, idle: slots.length - running, running, queued: this.#queue.length, ...this.#stats };
  }

  /**
   * Resolves once every child has loaded its task module. A server awaits this before it
   * listens, so the first requests do not spend their deadline waiting for start-up.
   */
  async ready(): Promise<void> {
    await Promise.all([...this.#slots].map((s) => s.started));
  }

  /** Pids of the live children (tests check none is left behind). */
  pids(): number[] {
    return [...this.#slots].map((s) => s.child.pid!).filter(Boolean);
  }

  /**
   * Rejects waiting and running tasks, disconnects every child (their exitWithParent guard
   * exits them; SIGKILL after `graceMs` if one is stuck in a task) and resolves once all exited.
   */
  async close(graceMs = 2000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of this.#queue.splice(0)) this.#settle(task, new PoolClosedError());
    const exits = [...this.#slots].map((slot) => {
      if (slot.task) this.#settle(slot.task, new PoolClosedError());
      slot.task = undefined;
      return this.#stop(slot.child, graceMs);
    });
    this.#slots.clear();
    await Promise.all(exits);
  }

  async #stop(child: ChildProcess, graceMs: number): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  #spawn(): void {
    const child = forkTs(poolChild, [fileURLToPath(this.#options.taskModule)], {
      serialization: this.#options.serialization,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let started!: () => void;
    const slot: Slot = { child, ready: false, started: new Promise<void>((resolve) => { started = resolve; }) };
    this.#slots.add(slot);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') { slot.ready = true; started(); return; }
      const task = slot.task;
      // LESSON: the id pairs answer and request; a late answer for a task given up on is dropped.
      if (!task || task.id !== message.id) return;
      slot.task = undefined;
      if (message.type === 'result') {
        this.#stats.completed++;
        this.#settle(task, undefined, message.result);
      } else {
        this.#stats.failed++;
        this.#settle(task, new Error(message.error.message, { cause: message.error.cause }));
      }
      this.#next(slot);
    });
    child.on('error', () => { /* spawn/kill/send failure: 'exit' follows and handles it */ });
    child.on('exit', (code, signal) => {
      started();
      if (!this.#slots.delete(slot)) return;
      if (slot.task) {
        this.#stats.failed++;
        this.#settle(slot.task, new WorkerExitedError(code ?? undefined, signal ?? undefined));
      } else if (!slot.ready) {
        if (this.#slots.size === 0) for (const task of this.#queue.splice(0)) this.#settle(task, new WorkerExitedError(code ?? undefined));
        return; // died while starting: do not restart in a loop
      }
      // A crash takes only its own task down; the others' children keep running.
      this.#replace();
    });
  }

  #replace(): void {
    if (this.#closed) return;
    this.#stats.replaced++;
    this.#spawn();
    const idle = this.#idleSlot();
    if (idle) this.#next(idle);
  }

  #idleSlot(): Slot | undefined {
    for (const slot of this.#slots) if (!slot.task) return slot;
    return undefined;
  }

  #start(slot: Slot, task: Task): void {
    slot.task = task;
    // Sent even before 'ready': Node queues IPC messages in the child until it listens.
    slot.child.send({ type: 'task', id: task.id, payload: task.payload } satisfies TaskRequest);
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
      // A child busy in synchronous code cannot read a "cancel" message: kill it.
      slot.task = undefined;
      this.#slots.delete(slot);
      slot.child.kill('SIGKILL');
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
