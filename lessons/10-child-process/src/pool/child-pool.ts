/**
 * Lesson 09's pool algorithm (`TaskPool`: bounded queue, cancellation, replacement,
 * shutdown) with child processes as its workers. This file is only the transport, and the
 * differences from threads are all here: `fork` instead of `new Worker`, errors rebuilt from
 * JSON, SIGKILL instead of terminate(), and a polite shutdown (disconnect, then SIGKILL).
 * What a child gives that a thread does not: its own process, so a native crash or a fatal
 * signal ends only it (test/isolation.test.ts).
 */
import type { ChildProcess, SerializationType } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TaskPool, type PoolWorker, type PoolWorkerEvents, type TaskPoolStats, type TaskRequest, type WorkerMessage } from 'lesson-09';
import { forkTs } from '../fork-ts.ts';

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
  /** After close() disconnects a child, how long it may take to exit before SIGKILL (ms). */
  graceMs?: number;
}

/** Counters for /metrics (`workers` are child processes here). */
export type ChildPoolStats = TaskPoolStats;

const poolChild = new URL('./pool-child.ts', import.meta.url);

/** Forks one pool child and adapts it to the pool. */
function startPoolChild(options: ChildPoolOptions, live: Set<ChildProcess>, events: PoolWorkerEvents): PoolWorker {
  // LESSON: the one line that makes this a process pool instead of a thread pool.
  const child = forkTs(poolChild, [fileURLToPath(options.taskModule)], {
    serialization: options.serialization ?? 'json',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  child.on('message', (m: WorkerMessage) => {
    if (m.type === 'ready') events.ready();
    else if (m.type === 'result') events.result(m.id, m.result);
    else {
      // JSON carries no Error: the child sends { message, cause } and the error is rebuilt here.
      const e = m.error as { message: string; cause?: unknown };
      events.failure(m.id, new Error(e.message, { cause: e.cause }));
    }
  });
  child.on('error', () => { /* spawn/kill/send failure: 'exit' follows and handles it */ });
  child.on('exit', (code, signal) => {
    live.delete(child);
    events.exit(code ?? undefined, signal ?? undefined);
  });
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  return {
    // Sent even before 'ready': Node queues IPC messages in the child until it listens.
    post: (id, payload) => { child.send({ type: 'task', id, payload } satisfies TaskRequest); },
    // A child busy in synchronous code cannot read a "cancel" message: kill it.
    kill: () => { live.delete(child); child.kill('SIGKILL'); },
    stop: async () => {
      if (exited()) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Closing the channel is enough for an idle child: its exitWithParent() guard exits it.
      if (child.connected) child.disconnect();
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? 2000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** A fixed-size pool of child processes running one task module. */
export class ChildPool extends TaskPool {
  readonly #live: Set<ChildProcess>;

  constructor(options: ChildPoolOptions) {
    const live = new Set<ChildProcess>();
    super((events) => startPoolChild(options, live, events), options);
    this.#live = live;
  }

  /** Pids of the live children (tests check none is left behind). */
  pids(): number[] {
    return [...this.#live].map((c) => c.pid!).filter(Boolean);
  }
}
