/**
 * Starting and stopping one engine process, and waiting until it answers.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';

/** A process the lesson started and must stop. */
export interface EngineProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Last lines of its output, for error messages. */
  output(): string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

let setprivPath: string | null | undefined;
/** util-linux's `setpriv` (Linux), or null where there is none (macOS). */
export function findSetpriv(): string | null {
  if (setprivPath === undefined) {
    setprivPath = ['/usr/bin/setpriv', '/bin/setpriv', ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'setpriv'))]
      .find((path) => path.startsWith('/') && existsSync(path)) ?? null;
  }
  return setprivPath;
}

/** What {@link startProcess} takes beyond spawn's options. */
export interface StartOptions extends SpawnOptions {
  /**
   * Signal the engine gets when this process dies, even by `kill -9` (Linux's parent-death
   * signal, set by `setpriv --pdeathsig`). Default TERM; null: none. Where `setpriv` is
   * missing the engine is spawned plainly and only a clean stop ends it.
   */
  parentDeathSignal?: 'TERM' | 'INT' | null;
}

/** Spawns `command`, keeping its last output lines for error messages. */
export function startProcess(name: string, command: string, args: string[], options: StartOptions = {}): EngineProcess {
  const { parentDeathSignal = 'TERM', ...spawnOptions } = options;
  const setpriv = parentDeathSignal ? findSetpriv() : null;
  // LESSON: a child outlives a parent killed with SIGKILL unless it asked the kernel to be told.
  // setpriv sets PR_SET_PDEATHSIG and then execs the engine (same pid). It runs after spawn's
  // uid/gid switch, which matters: a change of user clears the parent-death signal.
  const [file, argv] = setpriv ? [setpriv, ['--pdeathsig', parentDeathSignal!, '--', command, ...args]] : [command, args];
  // LESSON: detached: the engine gets its own process group, so a terminal's Ctrl-C (SIGINT to
  // the foreground group) reaches only the process that started it, which stops the stack in
  // order: hosts first, engines last. In the terminal's group PostgreSQL and Redis would stop
  // at once, under workers still draining.
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...spawnOptions });
  let tail = '';
  const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString()).slice(-4000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    child.once('error', (error) => { tail += `\n${error.message}`; resolve('spawn error'); });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, pid: child.pid, child, output: () => tail, exited, stop };
}

/**
 * Calls `probe` until it resolves true, failing early if the process exits.
 * Polling is how one waits for a server in another process: it signals nothing else.
 */
export async function waitUntil(engine: EngineProcess, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedAs: string | undefined;
  void engine.exited.then((how) => { exitedAs = how; });
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (exitedAs) throw new Error(`${engine.name} exited (${exitedAs}) before answering:\n${engine.output()}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${engine.name} did not answer within ${timeoutMs} ms:\n${engine.output()}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** True when a TCP connection to host:port opens. */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
