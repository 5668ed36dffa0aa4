/**
 * What a lesson's `server.ts` calls: listen, tell the supervisor we are ready, and shut down
 * gracefully on SIGTERM/SIGINT.
 */
import type { RequestListener, Server } from 'node:http';
import type { Config } from '../config.ts';
import { startServer, type RunningServer, type StartOptions } from './start-server.ts';

/** Options for {@link serve}. */
export interface ServeOptions extends StartOptions {
  /** Shown in the log line, e.g. `lesson-04`. */
  name: string;
  /** Port, host, shutdown deadline and connection cap from `loadConfig()`; explicit options win. */
  config?: Pick<Config, 'port' | 'host' | 'shutdownTimeoutMs'> & Partial<Pick<Config, 'maxConnections'>>;
  /** Log function; console.log by default. */
  log?: (line: string) => void;
}

/** Message a server sends its parent (bench harness, cluster primary) once it listens. */
export interface ListeningMessage {
  type: 'listening';
  url: string;
  port: number;
  pid: number;
}

/**
 * Sends readiness to a parent process, when there is an IPC channel: `'ready'` is what pm2's
 * `wait_ready` and lesson 11's primary wait for; the `listening` message carries the URL for
 * the bench harness (which starts servers on port 0).
 */
export function notifyReady(url: string, port: number): void {
  if (!process.send || !process.connected) return;
  const listening: ListeningMessage = { type: 'listening', url, port, pid: process.pid };
  process.send(listening);
  process.send('ready');
}

/**
 * Returns a function that closes `running` gracefully and exits: 0 when drained in time, 1
 * when connections had to be cut or closing failed. Called again, it exits at once.
 */
function gracefulExit(running: Pick<RunningServer, 'close'>, log: (line: string) => void): (why: string) => void {
  let shuttingDown = false;
  return (why) => {
    if (shuttingDown) {
      log(`${why} again: exiting now`);
      process.exit(1);
    }
    shuttingDown = true;
    log(`${why}: draining in-flight requests`);
    running.close().then(
      ({ timedOut }) => {
        log(timedOut ? 'shutdown deadline reached: connections cut' : 'closed cleanly');
        process.exit(timedOut ? 1 : 0);
      },
      (error: unknown) => {
        console.error('error while closing:', error);
        process.exit(1);
      },
    );
  };
}

/**
 * Installs SIGTERM/SIGINT handlers that close `running` gracefully and exit: 0 when drained
 * in time, 1 when connections had to be cut or closing failed. A second signal exits at once.
 */
export function exitOnSignals(running: Pick<RunningServer, 'close'>, log: (line: string) => void = console.log): void {
  const exit = gracefulExit(running, log);
  process.on('SIGTERM', () => exit('SIGTERM'));
  process.on('SIGINT', () => exit('SIGINT'));
}

/**
 * A process forked with an IPC channel (by the bench harness, a test, a cluster primary)
 * drains and exits when that channel closes: its parent is gone (killed, crashed, or a
 * vitest run stopped), and nothing would ever stop it otherwise. A cluster worker whose
 * primary dies is ended by Node itself, at once; this guard is for every other fork.
 */
export function exitWithParent(running: Pick<RunningServer, 'close'>, log: (line: string) => void = console.log): void {
  if (!process.channel) return;
  const exit = gracefulExit(running, log);
  process.once('disconnect', () => exit('parent process gone (IPC channel closed)'));
}

/**
 * Listens, logs `name listening on URL`, notifies readiness, and exits gracefully on signals
 * and when the parent that forked it goes away.
 * The only function a lesson's entry point needs.
 */
export async function serve(handler: RequestListener | Server, options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? console.log;
  const { config, ...rest } = options;
  const running = await startServer(handler, {
    port: config?.port,
    host: config?.host,
    shutdownTimeoutMs: config?.shutdownTimeoutMs,
    maxConnections: config?.maxConnections,
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
  });
  log(`${options.name} listening on ${running.url} (pid ${process.pid})`);
  exitOnSignals(running, log);
  exitWithParent(running, log);
  notifyReady(running.url, running.port);
  return running;
}
