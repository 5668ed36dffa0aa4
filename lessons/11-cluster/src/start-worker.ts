/**
 * What a worker does at start: open the database, build the cached store and the app,
 * listen (shared lifecycle), and take part in the primary's protocol.
 */
import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { createItemsRepository, createMetrics, loadConfig, openDatabase, requireHost, seedItems, serve, type RunningServer } from '@course/shared';
import { createWorkerApp } from './app.ts';
import { withBusyAs503 } from './busy-as-503.ts';
import { loadClusterConfig } from './cluster-config.ts';
import { createCoherentStore } from './coherent-store.ts';
import { createIpcInvalidationChannel } from './invalidation-channel.ts';
import { isMessage, type LifecycleMessage, type StartTimings } from './messages.ts';

/** performance.now() marks taken by src/worker.ts before this module was loaded. */
export interface StartMarks {
  bootMs: number;
  importsStartedMs: number;
  importsDoneMs: number;
}

export async function startWorker(marks: StartMarks): Promise<RunningServer> {
  const config = loadConfig();
  const clusterConfig = loadClusterConfig();
  // Started by this lesson's primary (not pm2, not alone): it answers the exit handshake.
  const underOurPrimary = cluster.isWorker && process.env.CLUSTER_PRIMARY === 'lesson-11';

  const dbStartedMs = performance.now();
  // LESSON: busy_timeout 0: SQLite's busy handler would sleep on this thread, the event loop's.
  // A locked database is waited for with timers instead (src/busy-as-503.ts).
  const db = openDatabase(config.dbPath, { busyTimeoutMs: 0 });
  // Alone, this process owns the file and seeds it. In a cluster the primary (or lesson 12's
  // start script) seeded it before forking: workers racing to seed would collide.
  if (cluster.isPrimary) seedItems(db, config.seedCount);
  const repository = withBusyAs503(createItemsRepository(db), { budgetMs: clusterConfig.busyTimeoutMs });
  const dbDoneMs = performance.now();

  // Only this lesson's primary relays invalidations, and it says so with CACHE_RELAY=1.
  // pm2 does not, so under pm2 each cache is local and CACHE_TTL_MS bounds staleness.
  const relayed = cluster.isWorker && process.env.CACHE_RELAY === '1';
  const channel = relayed ? createIpcInvalidationChannel(process) : undefined;
  const store = createCoherentStore(repository, channel, { max: clusterConfig.cacheMax, ttlMs: clusterConfig.cacheTtlMs });
  const metrics = createMetrics();
  metrics.register('cache', () => store.stats());
  metrics.register('sqliteBusy', () => repository.stats());
  if (channel) metrics.register('invalidation', () => channel.stats());
  // LESSON: /metrics describes the worker that answered, not the service: say which one.
  metrics.register('process', () => ({ pid: process.pid, scope: cluster.isWorker ? 'this worker only' : 'the whole service (one process)' }));

  // LESSON: Ctrl-C sends SIGINT to the terminal's whole foreground process group, so every
  // worker gets it together with the primary. A worker that drained and exited on its own
  // would race the primary's stop: an exit the primary sees before its own SIGINT handler has
  // run reads as a crash, and a replacement is forked during the shutdown. Under our primary a
  // worker ignores SIGINT and stops when the primary says `shutdown` (below), or on SIGTERM.
  if (underOurPrimary) process.on('SIGINT', () => {});
  const app = createWorkerApp({ store, metrics });
  // Our primary may own the port and pass each connection over IPC (src/primary.ts, `listen`).
  const fromPrimary = underOurPrimary && process.env.CONNECTIONS_FROM_PRIMARY === '1';
  const running = await serve(fromPrimary ? await serverFedByPrimary(app, config.host) : app, {
    signals: underOurPrimary ? ['SIGTERM'] : ['SIGTERM', 'SIGINT'],
    name: `lesson-11 worker${relayed ? '' : ' (local cache)'}${clusterConfig.reusePort ? ' (SO_REUSEPORT)' : ''}${fromPrimary ? ' (connections from the primary; this address is private)' : ''}`,
    config,
    reusePort: clusterConfig.reusePort,
    onClose: async () => {
      metrics.close();
      db.close();
      if (underOurPrimary) await byeFromPrimary();
      // Under pm2's cluster there is no handshake: keep reading IPC a little before exiting,
      // so a connection pm2's primary handed over just before the close is refused, not lost.
      else if (cluster.isWorker) await new Promise((resolve) => setTimeout(resolve, clusterConfig.exitLingerMs));
    },
  }).catch((error: unknown) => {
    // e.g. EADDRINUSE: one line with the reason, and a non-zero exit a supervisor can see.
    console.error(`lesson-11 worker ${process.pid} cannot serve: ${(error as Error).message}`);
    process.exit(1);
  });
  const listenDoneMs = performance.now();

  if (underOurPrimary) {
    const ms = (a: number, b: number): number => Math.round(b - a);
    const timings: StartTimings = {
      bootMs: Math.round(marks.bootMs),
      importsMs: ms(marks.importsStartedMs, marks.importsDoneMs),
      databaseMs: ms(dbStartedMs, dbDoneMs),
      listenMs: ms(dbDoneMs, listenDoneMs),
    };
    process.send?.({ type: 'worker:timings', timings } satisfies LifecycleMessage);
  }

  // The primary's graceful stop: same drain as SIGTERM, without a signal that a terminal's
  // Ctrl+C may already have delivered (a second signal would mean "exit now").
  process.on('message', (message) => {
    if (!isMessage(message, 'shutdown')) return;
    console.log(`worker ${process.pid}: the primary asked for shutdown: draining`);
    running.close().then(({ timedOut }) => process.exit(timedOut ? 1 : 0), () => process.exit(1));
  });
  return running;
}

/**
 * An HTTP server for `app` that serves the connections the primary passes over IPC. It also
 * listens on a private port of its own (nobody is told about it): the shared lifecycle reports
 * and drains a listening server. The message listener is in place before `serve` reports ready,
 * and the primary passes connections only to ready workers.
 */
async function serverFedByPrimary(app: Parameters<typeof requireHost>[0], host: string): Promise<Server> {
  const server = createServer({ requireHostHeader: false }, requireHost(app));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // exclusive: a socket of its own, not node:cluster's shared one.
    server.listen({ port: 0, host, exclusive: true }, () => { server.off('error', reject); resolve(); });
  });
  process.on('message', (message: unknown, socket?: Socket) => {
    if (!isMessage<{ type: 'connection'; id: number }>(message, 'connection') || !socket) return;
    // Confirm at once, before any byte is read: until then the primary may give it to another
    // worker should this one die.
    process.send?.({ type: 'connection:taken', id: message.id } satisfies LifecycleMessage);
    server.emit('connection', socket);
  });
  return server;
}

/**
 * LESSON: the primary accepts connections and passes each to a worker over IPC. When this
 * worker's server closed, it left the primary's round-robin; a connection passed just before
 * may still be in the pipe. Node answers it "not accepted" (and the primary hands it to
 * another worker) only if this process is still reading IPC. IPC keeps order, so once the
 * primary answers `worker:closing`, nothing is left in the pipe and exiting loses nothing.
 */
function byeFromPrimary(timeoutMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      process.off('message', onMessage);
      process.off('disconnect', done);
      resolve();
    };
    const onMessage = (message: unknown): void => { if (isMessage(message, 'worker:bye')) done(); };
    const timer = setTimeout(done, timeoutMs); // the primary is gone or stuck: do not hang
    process.on('message', onMessage);
    process.once('disconnect', done);
    process.send?.({ type: 'worker:closing' } satisfies LifecycleMessage);
  });
}
