/**
 * The supervising primary: keeps one worker per slot, replaces a worker that dies (with a
 * backoff per slot), restarts them one at a time (src/rolling-restart.ts), relays cache
 * invalidations, and logs how long each worker took to start. It never serves a request.
 *
 * The cluster basics are in src/basic-primary.ts (fork, and fork again on exit); this file is
 * what it takes to make that safe. pm2's cluster mode (lesson 12) does the same job, as a
 * daemon, for any script.
 */
import cluster, { type Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import { createServer, type Socket } from 'node:net';
import type { ListeningMessage } from '@course/shared';
import { defaultBackoff, nextCrashCount, restartDelay, type BackoffOptions } from './backoff.ts';
import type { InvalidationMode } from './cluster-config.ts';
import { createInvalidationRelay, type RelayPeer } from './invalidation-relay.ts';
import { isMessage, type PrimaryMessage, type StartTimings } from './messages.ts';
import { rollingRestart, type Supervisor } from './rolling-restart.ts';
import { workerExecArgv } from './worker-exec-argv.ts';

/** Options for {@link createPrimary}. */
export interface PrimaryOptions {
  /** The worker entry (a .ts file; see `execArgv`). */
  exec: string;
  /** How many workers (slots) to keep running. */
  workers: number;
  /** Node flags for workers (default: the primary's own, minus tsx where Node strips types). */
  execArgv?: string[];
  /** Extra environment for workers (they inherit the primary's). */
  env?: NodeJS.ProcessEnv;
  /** `broadcast` (default) relays cache invalidations; `none` leaves each cache alone. */
  invalidation?: InvalidationMode;
  /** A new worker must report ready within this (ms, default 60000). */
  readyTimeoutMs?: number;
  /** The workers' drain deadline (ms, default 10000); a worker still alive 2 s later is killed. */
  shutdownTimeoutMs?: number;
  /** Crash-loop backoff, counted per slot. */
  backoff?: Partial<BackoffOptions>;
  /**
   * The primary listens on this address itself, for as long as it runs, and passes each
   * connection to a ready worker (round-robin), holding connections while no worker is ready.
   * Without it, workers listen through node:cluster, whose primary closes the port whenever no
   * worker listens (lesson 13's hosts run that way).
   */
  listen?: { host: string; port: number };
  /** Connections the primary holds while no worker is ready; more are closed (default 1000). */
  maxWaiting?: number;
  log?: (line: string) => void;
}

/** What the primary knows about a worker. */
export interface WorkerInfo {
  id: number;
  pid: number;
  /** 0 … workers-1: a replacement takes the slot of the worker it replaces. */
  slot: number;
  state: 'starting' | 'ready' | 'retiring';
  startedAt: number;
  /** Fork → `'ready'`, as the primary saw it (ms); set once ready. */
  startMs?: number;
}

/** A worker exit, as reported by the `worker-exit` event. */
export interface WorkerExit {
  worker: WorkerInfo;
  code: number | null;
  signal: string | null;
  /** False for a crash (it will be replaced), true when the primary asked it to go. */
  expected: boolean;
}

/** Payload of the `restart-scheduled` event. */
export interface RestartScheduled {
  slot: number;
  delayMs: number;
  /** Consecutive crashes of this slot. */
  crashesInARow: number;
}

/**
 * A running primary. Events: `worker-ready` (WorkerInfo), `worker-exit` (WorkerExit),
 * `restart-scheduled` (RestartScheduled).
 */
export interface Primary extends EventEmitter {
  /** Resolves with the shared URL once the first `workers` workers are all ready. */
  readonly ready: Promise<string>;
  /** Live workers. */
  workers(): WorkerInfo[];
  /**
   * Replaces every worker, one at a time: fork the new one, wait for its `ready`, then let
   * the old one stop accepting and drain. Concurrent calls share one restart. Rejects
   * (keeping the remaining old workers) if a new worker fails to become ready.
   */
  rollingRestart(): Promise<void>;
  /** Drains and stops every worker; resolves when all have exited. */
  stop(): Promise<void>;
}

interface Tracked {
  worker: Worker;
  /** Connections passed to this worker that it has not confirmed yet (primary-owned port only). */
  untaken: Map<number, Socket>;
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
  // LESSON: crashes are counted per slot. One shared counter let a crash-looping slot and a
  // healthy one reset or inflate each other's delays.
  const crashesInSlot = new Map<number, number>();
  const emitter = new EventEmitter() as Primary;
  let url: string | undefined;
  let portOverride: string | undefined;
  let stopping = false;
  /** When a worker last became ready: the code and its config can start. */
  let lastReadyAt: number | undefined;
  let restarting: Promise<void> | undefined;
  let resolveReady!: (url: string) => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<string>((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });

  function send(worker: Worker, message: PrimaryMessage): void {
    // A worker that just died has no channel; the exit handler cleans up after it.
    if (worker.isConnected()) worker.send(message, undefined, undefined, () => {});
  }

  function fork(slot: number, probation = false): Worker {
    cluster.setupPrimary({ exec: options.exec, execArgv: options.execArgv ?? workerExecArgv() });
    // Workers must ask for the port exactly as the live ones did: Node keys the primary's
    // listening handle by the requested port. When none is alive that handle is closed, and
    // `PORT=0` would open a new, different port: from then on ask for the one clients know.
    if (!listener && live.size === 0 && url) portOverride = new URL(url).port;
    const worker = cluster.fork({
      ...options.env, ...(portOverride ? { PORT: portOverride } : {}), CACHE_RELAY: relay ? '1' : '0', CLUSTER_PRIMARY: 'lesson-11', NODE_APP_INSTANCE: String(slot),
      ...(listener ? { CONNECTIONS_FROM_PRIMARY: '1' } : {}),
    });
    const info: WorkerInfo = { id: worker.id, pid: worker.process.pid ?? -1, slot, state: 'starting', startedAt: Date.now() };
    const tracked: Tracked = { worker, untaken: new Map(), info, peer: { id: worker.id, send: (m) => send(worker, m) }, probation, replacing: false };
    live.set(worker, tracked);

    worker.on('message', (message: unknown) => {
      if (relay?.onMessage(tracked.peer, message)) return;
      // (With our own listener, a worker's server is private: the URL is the primary's.)
      if (!listener && isMessage<ListeningMessage>(message, 'listening')) url ??= message.url;
      // The worker stopped accepting: answer once every connection this primary handed it
      // before is already in its pipe (IPC keeps order), so it may exit without losing one.
      if (isMessage(message, 'worker:closing')) send(worker, { type: 'worker:bye' });
      if (isMessage<{ type: 'connection:taken'; id: number }>(message, 'connection:taken')) taken(tracked, message.id);
      if (isMessage<{ type: 'worker:timings'; timings: StartTimings }>(message, 'worker:timings')) {
        const t = message.timings;
        log(`worker ${info.pid} (slot ${slot}) started in ${Date.now() - info.startedAt} ms: node + loader ${t.bootMs} ms, imports ${t.importsMs} ms, database ${t.databaseMs} ms, listen ${t.listenMs} ms`);
      }
      if (message === 'ready' && info.state === 'starting') {
        info.state = 'ready';
        info.startMs = Date.now() - info.startedAt;
        tracked.probation = false;
        lastReadyAt = Date.now();
        emitter.emit('worker-ready', { ...info });
        handOutWaiting();
        if (url && readyWorkers().length >= options.workers) resolveReady(url);
      }
    });
    worker.on('exit', (code, signal) => onExit(worker, tracked, code, signal));
    return worker;
  }

  function readyWorkers(): Tracked[] {
    return [...live.values()].filter((t) => t.info.state === 'ready');
  }

  // LESSON: the primary owns the listening socket for its whole life, and does what
  // node:cluster's round-robin does (SCHED_RR): accept each connection and pass it to the next
  // worker over IPC. node:cluster closes its socket when the last worker leaves, so while every
  // worker is dead or starting the port refuses connections; this one keeps accepting and holds
  // them until a worker is ready.
  const maxWaiting = options.maxWaiting ?? 1000;
  const waiting: Socket[] = [];
  let nextWorker = 0;
  let connectionSeq = 0;
  const listener = options.listen ? createServer({ pauseOnConnect: true }, (socket) => handOut(socket)) : undefined;

  function handOut(socket: Socket): void {
    // Ready and still connected: a killed worker's channel closes before its exit is reported.
    const ready = readyWorkers().filter((t) => t.worker.isConnected());
    if (ready.length === 0 || stopping) {
      if (waiting.length < maxWaiting && !stopping) waiting.push(socket);
      else socket.destroy();
      return;
    }
    const tracked = ready[nextWorker++ % ready.length]!;
    // The primary keeps its copy of the socket until the worker says it took it. A worker that
    // dies first (killed, with the connection still in its IPC pipe) never read from it, and
    // the connection goes to another worker: the client never knows.
    const id = ++connectionSeq;
    tracked.untaken.set(id, socket);
    tracked.worker.send({ type: 'connection', id }, socket, { keepOpen: true }, (error: Error | null) => {
      if (!error || !tracked.untaken.delete(id)) return;
      // Its channel closed meanwhile: another worker (or the wait) takes it, never this one again.
      if (tracked.worker.isConnected()) socket.destroy();
      else handOut(socket);
    });
  }

  /** The worker took connection `id`: close the primary's copy (the worker holds its own). */
  function taken(tracked: Tracked, id: number): void {
    tracked.untaken.get(id)?.destroy();
    tracked.untaken.delete(id);
  }

  function handOutWaiting(): void {
    while (waiting.length > 0 && readyWorkers().some((t) => t.worker.isConnected())) handOut(waiting.shift()!);
  }

  function onExit(worker: Worker, tracked: Tracked, code: number | null, signal: string | null): void {
    live.delete(worker);
    for (const socket of tracked.untaken.values()) handOut(socket);
    tracked.untaken.clear();
    relay?.onExit(tracked.peer);
    const expected = stopping || tracked.info.state === 'retiring' || tracked.probation || tracked.replacing;
    emitter.emit('worker-exit', { worker: { ...tracked.info }, code, signal, expected } satisfies WorkerExit);
    if (expected) return;
    const { slot } = tracked.info;
    // LESSON: a crash is replaced, but never faster than this slot's backoff allows.
    const crashesInARow = nextCrashCount(crashesInSlot.get(slot) ?? 0, Date.now() - tracked.info.startedAt, backoff);
    crashesInSlot.set(slot, crashesInARow);
    // The backoff is for code that cannot start. When the last worker died and workers did
    // start lately, every second of backoff is a second of requests held unanswered: replace now.
    const canStart = lastReadyAt !== undefined && Date.now() - lastReadyAt < backoff.stableAfterMs;
    const delayMs = live.size === 0 && canStart ? 0 : restartDelay(crashesInARow, backoff);
    const serving = readyWorkers().length;
    const meanwhile = listener ? ': connections wait in the primary until one is ready' : ': the port refuses connections until one listens again';
    log(`worker ${tracked.info.pid} (slot ${slot}) died (${signal ?? `code ${code}`}); replacing in ${delayMs} ms (crash ${crashesInARow} in a row of this slot; ${serving} worker(s) still serving${serving === 0 ? meanwhile : ''})`);
    emitter.emit('restart-scheduled', { slot, delayMs, crashesInARow } satisfies RestartScheduled);
    scheduleFork(delayMs, slot);
  }

  function scheduleFork(delayMs: number, slot: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopping) fork(slot);
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

  /** Asks a worker to stop accepting, drain and exit; kills it if it overstays. */
  async function retire(worker: Worker): Promise<void> {
    const tracked = live.get(worker);
    if (!tracked || worker.isDead()) return;
    const wasReady = tracked.info.state === 'ready';
    // LESSON: never take the last serving worker down, except to stop the whole service.
    if (!stopping && wasReady && readyWorkers().length <= 1) {
      throw new Error(`worker ${tracked.info.pid} is the only one serving: not retired`);
    }
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

  const supervisor: Supervisor = {
    log,
    isStopping: () => stopping,
    current: () => [...live].filter(([, t]) => t.info.state !== 'retiring').map(([worker, t]) => ({ worker, slot: t.info.slot })),
    isAlive: (worker) => live.has(worker) && !worker.isDead(),
    setReplacing: (worker, replacing) => { const t = live.get(worker); if (t) t.replacing = replacing; },
    forkReplacement: (slot) => fork(slot, true),
    waitReady,
    discard: (worker) => {
      const t = live.get(worker);
      if (t) { t.info.state = 'retiring'; worker.process.kill('SIGKILL'); }
    },
    refill: (slot) => scheduleFork(0, slot),
    retire,
  };

  emitter.workers = () => [...live.values()].map((t) => ({ ...t.info }));
  emitter.rollingRestart = () => {
    restarting ??= rollingRestart(supervisor).finally(() => { restarting = undefined; });
    return restarting;
  };
  emitter.stop = async () => {
    stopping = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    listener?.close();
    for (const socket of waiting.splice(0)) socket.destroy();
    await Promise.all([...live.keys()].map(retire));
  };
  Object.defineProperty(emitter, 'ready', { value: ready });

  if (listener && options.listen) {
    const { host, port } = options.listen;
    listener.once('error', (error) => {
      log(`lesson-11 primary cannot listen on ${host}:${port}: ${error.message}`);
      void emitter.stop().then(() => rejectReady(error));
    });
    listener.listen({ port, host }, () => {
      const address = listener.address() as { port: number };
      url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      if (readyWorkers().length >= options.workers) resolveReady(url);
    });
  }
  for (let slot = 0; slot < options.workers; slot++) fork(slot);
  return emitter;
}
