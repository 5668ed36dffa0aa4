/**
 * Starts a lesson's server in a child process and waits for its `listening` message.
 *
 * Benchmarks keep the server out of the load generator's process: on one event loop they
 * would take turns, and the numbers would describe neither.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ListeningMessage } from '../lifecycle/serve.ts';
import { probeDirectory, probeImportArgs } from './probe-client.ts';

/** A server running in a child process. */
export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** SIGTERM (graceful), then SIGKILL after `graceMs`; resolves when the child has exited. */
  close(graceMs?: number): Promise<void>;
}

/** Options for {@link spawnServer}. */
export interface SpawnServerOptions {
  /** Extra environment (PORT defaults to 0, HOST to 127.0.0.1). */
  env?: NodeJS.ProcessEnv;
  /** Arguments for the entry script. */
  args?: string[];
  /** Extra Node flags (e.g. `--max-old-space-size=64`). */
  nodeArgs?: string[];
  /** Milliseconds to wait for `listening` (default 30000). */
  timeoutMs?: number;
  /** Pass the child's stdout through (default: discarded; stderr always passes). */
  showOutput?: boolean;
  /**
   * Load the bench probe (event-loop utilisation, GC, CPU profiles for the harness) into the
   * server and the processes it starts (default true).
   */
  probe?: boolean;
  /**
   * How the child runs TypeScript: `'tsx'` (default, every supported Node line) or `'none'`:
   * no loader, Node's own type stripping (22.18 and later; erasable TypeScript only).
   */
  loader?: 'tsx' | 'none';
  /**
   * Start the server in a session of its own (`setsid`), as a daemon such as pm2's runs. On
   * Linux with `sched_autogroup_enabled` a new session is a new scheduling group, which shares
   * the CPUs with the load generator's group as a whole (default false).
   */
  detached?: boolean;
}

/** url → pid of every server started here and still running: how benchHttp finds a Target's process. */
const running = new Map<string, number>();

/** The pid of the server spawnServer started for `url`, if it still runs. */
export function spawnedServerPid(url: string): number | undefined {
  return running.get(url);
}

/** `--import <tsx>` so the child runs TypeScript without a build step. */
export const tsxImportArgs: readonly string[] = ['--import', import.meta.resolve('tsx')];

/** Forks `entry` (a .ts file) and resolves once it reports the URL it listens on. */
export function spawnServer(entry: string, options: SpawnServerOptions = {}): Promise<ServerProcess> {
  const probe = options.probe ?? true;
  const child = fork(entry, options.args ?? [], {
    execArgv: [...(options.loader === 'none' ? [] : tsxImportArgs), ...(probe ? probeImportArgs : []), ...(options.nodeArgs ?? [])],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...(probe ? { COURSE_BENCH_PROBE_DIR: probeDirectory() } : {}), ...options.env },
    stdio: ['ignore', options.showOutput ? 'inherit' : 'ignore', 'inherit', 'ipc'],
    detached: options.detached ?? false,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const close = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not report listening within ${options.timeoutMs ?? 30_000} ms`));
    }, options.timeoutMs ?? 30_000);
    const onExit = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited before listening (code ${code}, signal ${signal})`));
    };
    child.once('exit', onExit);
    child.on('message', (message: unknown) => {
      const m = message as Partial<ListeningMessage>;
      if (m && typeof m === 'object' && m.type === 'listening' && typeof m.url === 'string') {
        clearTimeout(timer);
        child.off('exit', onExit);
        running.set(m.url, child.pid!);
        child.once('exit', () => running.delete(m.url!));
        resolve({ url: m.url, pid: child.pid!, child, close });
      }
    });
  });
}
