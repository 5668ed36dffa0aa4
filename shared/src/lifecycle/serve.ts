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
  /**
   * Signals that start the graceful stop (default SIGTERM and SIGINT). A cluster worker whose
   * primary stops it over IPC leaves SIGINT out (the terminal's Ctrl-C reaches it too).
   */
  signals?: readonly NodeJS.Signals[];
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
 * How long after the first signal the same signal counts as the same request. One Ctrl-C can
 * arrive twice: the terminal sends SIGINT to every process of its foreground group, and npm
 * (`npm start`, `npm run …`) also forwards the SIGINT it received to its script's process, so a
 * server that npm runs with `exec` gets both within milliseconds. Read as "stop waiting", the
 * copy would cut every drain short. A person pressing Ctrl-C again does so later than this.
 */
export const DUPLICATE_SIGNAL_MS = 1000;

/**
 * Returns a function that closes `running` gracefully and exits: 0 when drained in time, 1
 * when connections had to be cut or closing failed. Idempotent for a copy of the first
 * signal (same name, within {@link DUPLICATE_SIGNAL_MS}); any later call exits at once.
 */
function gracefulExit(running: Pick<RunningServer, 'close'>, log: (line: string) => void): (why: string) => void {
  let first: { why: string; at: number } | undefined;
  return (why) => {
    if (first) {
      if (why === first.why && performance.now() - first.at < DUPLICATE_SIGNAL_MS) return; // the same Ctrl-C, delivered twice
      log(`${why} again: exiting now`);
      process.exit(1);
    }
    first = { why, at: performance.now() };
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
 * Installs handlers for `signals` (SIGTERM and SIGINT by default) that close `running`
 * gracefully and exit: 0 when drained in time, 1 when connections had to be cut or closing
 * failed. A copy of the first signal is ignored (see {@link DUPLICATE_SIGNAL_MS}); another
 * signal after it exits at once.
 */
export function exitOnSignals(
  running: Pick<RunningServer, 'close'>,
  log: (line: string) => void = console.log,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): void {
  const exit = gracefulExit(running, log);
  for (const signal of signals) process.on(signal, () => exit(signal));
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
  const { config, signals, ...rest } = options;
  const running = await startServer(handler, {
    port: config?.port,
    host: config?.host,
    shutdownTimeoutMs: config?.shutdownTimeoutMs,
    maxConnections: config?.maxConnections,
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
  });
  log(`${options.name} listening on ${running.url} (pid ${process.pid})`);
  exitOnSignals(running, log, signals);
  exitWithParent(running, log);
  notifyReady(running.url, running.port);
  return running;
}
