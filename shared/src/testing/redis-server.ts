/**
 * A throw-away redis-server for a test: loopback only, no persistence, on a free port, stopped
 * by the test. Needs no Redis client library: readiness is a PING over a plain socket.
 * (Lesson 13 runs its engines its own way, as a deployment would; this is for tests that just
 * need a Redis, such as lesson 12's.)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { freePort } from '../tools/free-port.ts';

/** `redis-server` on PATH or where Debian and Homebrew put it, or undefined. */
export function findRedisServer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/opt/homebrew/bin', '/usr/local/bin'];
  return dirs.filter(Boolean).map((dir) => join(dir, 'redis-server')).find((path) => existsSync(path));
}

/** A running test Redis. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  pid: number;
  /** SIGTERM, SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Answers true once `PING` on 127.0.0.1:port gets `+PONG`. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean): void => { socket.destroy(); resolve(ok); };
    socket.setTimeout(1000, () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

/**
 * Starts redis-server in `dir` and resolves once it answers PING.
 * @throws Error with its output when it exits or does not answer within `timeoutMs`
 */
export async function startTestRedis(options: { dir: string; port?: number; redisServer?: string; timeoutMs?: number }): Promise<TestRedis> {
  const redisServer = options.redisServer ?? findRedisServer();
  if (!redisServer) throw new Error('redis-server not found (Debian: apt-get install redis-server; Homebrew: brew install redis)');
  const port = options.port ?? await freePort();
  const child = spawn(redisServer, [
    '--port', String(port), '--bind', '127.0.0.1',
    // A cache for one test: nothing to keep, so no RDB snapshot and no append-only file.
    '--save', '', '--appendonly', 'no', '--dir', options.dir,
  ], { cwd: options.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => { output = (output + chunk.toString()).slice(-4000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitedAs: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => { exitedAs = signal ?? `code ${code}`; resolve(); });
    child.once('error', (error) => { exitedAs = error.message; resolve(); });
  });
  const stop = async (): Promise<void> => {
    if (exitedAs !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (exitedAs !== undefined) throw new Error(`redis-server exited (${exitedAs}) before answering:\n${output}`);
    if (await pings(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING within ${options.timeoutMs ?? 30_000} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid!, stop };
}
