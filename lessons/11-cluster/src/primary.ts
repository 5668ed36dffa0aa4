/**
 * The primary: forks the workers, replaces the ones that die, restarts them one at a time
 * without dropping a request, relays cache invalidations. It never serves a request.
 *
 * Written by hand to show every moving part; pm2's cluster mode (lesson 12) does the same
 * job, as a daemon, for any script.
 */
import cluster, { type Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import type { ListeningMessage } from '@course/shared';
import { defaultBackoff, nextCrashCount, restartDelay, type BackoffOptions } from './backoff.ts';
import type { InvalidationMode } from './cluster-config.ts';
import { createInvalidationRelay, type RelayPeer } from './invalidation-relay.ts';
import { isMessage, type PrimaryMessage } from './messages.ts';

/** Options for {@link createPrimary}. */
export interface PrimaryOptions {
  /** The worker entry (a .ts file; see `execArgv`). */
  exec: string;
  /** How many workers to keep running. */
  workers: number;
  /** Node flags for workers (default: the primary's own, e.g. `--import tsx`). */
  execArgv?: string[];
  /** Extra environment for workers (they inherit the primary's). */
  env?: NodeJS.ProcessEnv;
  /** `broadcast` (default) relays cache invalidations; `none` leaves each cache alone. */
  invalidation?: InvalidationMode;
  /** A new worker must report ready within this (ms, default 60000). */
  readyTimeoutMs?: number;
  /** The workers' drain deadline (ms, default 10000); a worker still alive 2 s later is killed. */
  shutdownTimeoutMs?: number;
  /** Crash-loop backoff. */
  backoff?: Partial<BackoffOptions>;
  log?: (line: string) => void;
}

/** What the primary knows about a worker. */
export interface WorkerInfo {
  id: number;
  pid: number;
  state: 'starting' | 'ready' | 'retiring';
  startedAt: number;
}

/** A worker exit, as reported by the `worker-exit` event. */
export interface WorkerExit {
  worker: WorkerInfo;
  code: number | null;
  signal: string | null;
  /** False for a crash (it will be replaced), true when the primary asked it to go. */
  expected: boolean;
}

/**
 * A running primary. Events: `worker-ready` (WorkerInfo), `worker-exit` (WorkerExit),
 * `restart-scheduled` ({ delayMs, crashesInARow }).
 */
export interface Primary extends EventEmitter {
  /** Resolves with the shared URL once the first `workers` workers are all ready. */
  readonly ready: Promise<string>;
  /** Live workers. */
  workers(): WorkerInfo[];
  /**
   * Replaces every worker, one at a time: fork the new one, wait for its `ready`, then let
   * the old one drain and exit. Concurrent calls share one restart. Rejects (keeping the
   * remaining old workers) if a new worker fails to become ready.
   */
  rollingRestart(): Promise<void>;
  /** Drains and stops every worker; resolves when all have exited. */
  stop(): Promise<void>;
}

interface Tracked {
  info: WorkerInfo;
  peer: RelayPeer;
  /** Forked by a rolling restart and not ready yet: its failure is the restart's to handle. */
  probation: boolean;
  /** A rolling restart is starting its successor: if it dies now, that successor replaces it. */
  replacing: boolean;
}

/** Forks `options.workers` workers and supervises them. */
export function createPrimary(options: PrimaryOptions): Primary {
  if (!cluster.isPrimary) throw new Error('createPrimary() must run in the primary process');
  const log = options.log ?? console.log;
  const backoff: BackoffOptions = { ...defaultBackoff, ...options.backoff };
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const relay = options.invalidation === 'none' ? undefined : createInvalidationRelay();
  const live = new Map<Worker, Tracked>();
  const timers = new Set<NodeJS.Timeout>();
  const emitter = new EventEmitter() as Primary;
  let url: string | undefined;
  let stopping = false;
  let crashesInARow = 0;
  let restarting: Promise<void> | undefined;
  let resolveReady!: (url: string) => void;
  const ready = new Promise<string>((resolve) => { resolveReady = resolve; });

  function send(worker: Worker, message: PrimaryMessage): void {
    // A worker that just died has no channel; the exit handler cleans up after it.
    if (worker.isConnected()) worker.send(message, undefined, undefined, () => {});
  }

  function fork(probation = false): Worker {
    cluster.setupPrimary({ exec: options.exec, execArgv: options.execArgv ?? process.execArgv });
    const worker = cluster.fork({ ...options.env, CACHE_RELAY: relay ? '1' : '0' });
    const info: WorkerInfo = { id: worker.id, pid: worker.process.pid ?? -1, state: 'starting', startedAt: Date.now() };
    const tracked: Tracked = { info, peer: { id: worker.id, send: (m) => send(worker, m) }, probation, replacing: false };
    live.set(worker, tracked);

    worker.on('message', (message: unknown) => {
      if (relay?.onMessage(tracked.peer, message)) return;
      if (isMessage<ListeningMessage>(message, 'listening')) url ??= message.url;
      if (message === 'ready' && info.state === 'starting') {
        info.state = 'ready';
        tracked.probation = false;
        emitter.emit('worker-ready', { ...info });
        const readyCount = [...live.values()].filter((t) => t.info.state === 'ready').length;
        if (url && readyCount >= options.workers) resolveReady(url);
      }
    });
    worker.on('exit', (code, signal) => onExit(worker, tracked, code, signal));
    return worker;
  }

  function onExit(worker: Worker, tracked: Tracked, code: number | null, signal: string | null): void {
    live.delete(worker);
    relay?.onExit(tracked.peer);
    const expected = stopping || tracked.info.state === 'retiring' || tracked.probation || tracked.replacing;
    emitter.emit('worker-exit', { worker: { ...tracked.info }, code, signal, expected } satisfies WorkerExit);
    if (expected) return;
    // LESSON: a crash is replaced, but never faster than the backoff allows.
    crashesInARow = nextCrashCount(crashesInARow, Date.now() - tracked.info.startedAt, backoff);
    const delayMs = restartDelay(crashesInARow, backoff);
    log(`worker ${tracked.info.pid} died (${signal ?? `code ${code}`}); replacing in ${delayMs} ms (crash ${crashesInARow} in a row)`);
    emitter.emit('restart-scheduled', { delayMs, crashesInARow });
    scheduleFork(delayMs);
  }

  function scheduleFork(delayMs: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopping) fork();
    }, delayMs);
    timers.add(timer);
  }

  function waitReady(worker: Worker): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        emitter.off('worker-ready', onReady);
        worker.off('exit', onWorkerExit);
      };
      const onReady = (info: WorkerInfo): void => {
        if (info.id !== worker.id) return;
        cleanup();
        resolve();
      };
      const onWorkerExit = (code: number | null, signal: string | null): void => {
        cleanup();
        reject(new Error(`exited before ready (${signal ?? `code ${code}`})`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`not ready within ${readyTimeoutMs} ms`));
      }, readyTimeoutMs);
      emitter.on('worker-ready', onReady);
      worker.on('exit', onWorkerExit);
    });
  }

  /** Asks a worker to drain and exit; kills it if it overstays. */
  async function retire(worker: Worker): Promise<void> {
    const tracked = live.get(worker);
    if (!tracked || worker.isDead()) return;
    const wasReady = tracked.info.state === 'ready';
    tracked.info.state = 'retiring';
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // A ready worker drains (stops accepting, finishes in-flight requests, closes the DB).
    // One still starting has nothing in flight and may not listen for messages yet.
    if (wasReady) send(worker, { type: 'shutdown' });
    else worker.process.kill('SIGTERM');
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), shutdownTimeoutMs + 2000);
    await exited;
    clearTimeout(timer);
  }

  async function rollingRestart(): Promise<void> {
    const olds = [...live].filter(([, t]) => t.info.state !== 'retiring').map(([w]) => w);
    log(`rolling restart of ${olds.length} worker(s)`);
    for (const [index, old] of olds.entries()) {
      const tracked = live.get(old);
      if (stopping) return;
      if (!tracked || old.isDead()) continue; // it crashed meanwhile: the crash handler replaced it
      tracked.replacing = true;
      const fresh = fork(true);
      try {
        await waitReady(fresh);
      } catch (error) {
        tracked.replacing = false;
        const freshInfo = live.get(fresh)?.info;
        if (freshInfo) { freshInfo.state = 'retiring'; fresh.process.kill('SIGKILL'); }
        if (old.isDead() && !stopping) scheduleFork(0);
        throw new Error(`rolling restart stopped: new worker ${fresh.process.pid} ${(error as Error).message}; ${olds.length - index} old worker(s) kept`);
      }
      // LESSON: the new worker takes connections before the old one stops taking them.
      await retire(old);
    }
    log('rolling restart done');
  }

  emitter.workers = () => [...live.values()].map((t) => ({ ...t.info }));
  emitter.rollingRestart = () => {
    restarting ??= rollingRestart().finally(() => { restarting = undefined; });
    return restarting;
  };
  emitter.stop = async () => {
    stopping = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await Promise.all([...live.keys()].map(retire));
  };
  Object.defineProperty(emitter, 'ready', { value: ready });

  for (let i = 0; i < options.workers; i++) fork();
  return emitter;
}
