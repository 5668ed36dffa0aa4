/**
 * HAProxy in the foreground, and a client for its runtime API (the admin socket).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { canConnect, startProcess, waitUntil, type EngineProcess } from './child.ts';
import { haproxyConfig, type HaproxyConfigOptions } from './haproxy-config.ts';

/** One row of `show stat` for a server. */
export interface ServerStat {
  name: string;
  /** `UP`, `DOWN`, `DRAIN`, `MAINT`, or a transition like `UP 1/2`. */
  status: string;
  /** Requests/connections on it right now. */
  current: number;
  /** Connection and response errors, retries and redispatches counted on it. */
  errors: { connect: number; response: number; retries: number; redispatches: number };
  /** Connections to this server HAProxy opened, and requests it sent on an already open one. */
  connections: { opened: number; reused: number };
}

/** The runtime API: one command per connection, the answer is everything until it closes. */
export interface HaproxyAdmin {
  command(line: string): Promise<string>;
  servers(backend?: string): Promise<ServerStat[]>;
  /** `ready`, `drain` or `maint`: what a rolling deploy flips. */
  setState(server: string, state: 'ready' | 'drain' | 'maint', backend?: string): Promise<void>;
}

/** A running HAProxy. */
export interface RunningHaproxy {
  url: string;
  admin: HaproxyAdmin;
  engine: EngineProcess;
  stop(): Promise<void>;
}

/**
 * A client for the admin unix socket. Each command gives up after `timeoutMs` (default 5000):
 * a stuck or stopped HAProxy must not hang a deploy or a stop forever.
 */
export function haproxyAdmin(socketPath: string, options: { timeoutMs?: number } = {}): HaproxyAdmin {
  const timeoutMs = options.timeoutMs ?? 5000;
  const command = (line: string): Promise<string> => new Promise((resolve, reject) => {
    const socket = connect({ path: socketPath });
    let answer = '';
    socket.setEncoding('utf8');
    const timer = setTimeout(() => socket.destroy(new Error(`haproxy: no answer to "${line}" within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: string) => { answer += chunk; });
    socket.once('error', (error) => { clearTimeout(timer); reject(error); });
    socket.once('close', (hadError) => { clearTimeout(timer); if (!hadError) resolve(answer); });
    socket.end(`${line}\n`);
  });
  const servers = async (backend = 'hosts'): Promise<ServerStat[]> => {
    const csv = await command('show stat');
    const [header = '', ...rows] = csv.replace(/^# /, '').trim().split('\n');
    const columns = header.split(',');
    const col = (row: string[], name: string): string => row[columns.indexOf(name)] ?? '';
    return rows.map((line) => line.split(','))
      .filter((row) => row[0] === backend && !['FRONTEND', 'BACKEND'].includes(row[1] ?? ''))
      .map((row) => ({
        name: row[1]!,
        status: col(row, 'status'),
        current: Number(col(row, 'scur')),
        errors: {
          connect: Number(col(row, 'econ')),
          response: Number(col(row, 'eresp')),
          retries: Number(col(row, 'wretr')),
          redispatches: Number(col(row, 'wredis')),
        },
        connections: { opened: Number(col(row, 'connect')), reused: Number(col(row, 'reuse')) },
      }));
  };
  return {
    command,
    servers,
    async setState(server, state, backend = 'hosts') {
      const answer = await command(`set server ${backend}/${server} state ${state}`);
      if (answer.trim() !== '') throw new Error(`haproxy: set server ${server} state ${state}: ${answer.trim()}`);
    },
  };
}

/**
 * True when every one of `names` is listed and UP. An empty or partial `show stat` (HAProxy
 * still starting, a wrong backend name) is not ready: `[].every(…)` would say it is.
 */
export function allServersUp(servers: ServerStat[], names: string[]): boolean {
  return names.length > 0 && names.every((name) => servers.some((s) => s.name === name && s.status === 'UP'));
}

/** Polls `admin` until {@link allServersUp}; rejects naming each server's status after `timeoutMs`. */
export async function waitForServersUp(admin: HaproxyAdmin, names: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const servers = await admin.servers().catch(() => [] as ServerStat[]);
    if (allServersUp(servers, names)) return;
    if (Date.now() > deadline) {
      throw new Error(`haproxy: hosts not UP within ${timeoutMs} ms: ${names.map((n) => `${n} ${servers.find((s) => s.name === n)?.status ?? 'not listed'}`).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Writes the config into `dir` and starts HAProxy in the foreground (`-db`). */
export async function startHaproxy(options: HaproxyConfigOptions & { haproxy: string; dir: string }): Promise<RunningHaproxy> {
  const configPath = join(options.dir, 'haproxy.cfg');
  writeFileSync(configPath, haproxyConfig(options));
  const check = startProcess('haproxy -c', options.haproxy, ['-c', '-q', '-f', configPath]);
  if ((await check.exited) !== 'code 0') throw new Error(`haproxy rejected ${configPath}:\n${check.output()}`);
  const engine = startProcess('haproxy', options.haproxy, ['-db', '-f', configPath], { cwd: options.dir });
  await waitUntil(engine, async () => (await canConnect('127.0.0.1', options.port)) && existsSync(options.adminSocket));
  // SIGTERM: stop now. The stack stops the balancer first, when its clients are done; a soft
  // stop (SIGUSR1) would wait for idle keep-alive clients to go away on their own.
  return { url: `http://127.0.0.1:${options.port}`, admin: haproxyAdmin(options.adminSocket), engine, stop: () => engine.stop('SIGTERM', 5000) };
}
