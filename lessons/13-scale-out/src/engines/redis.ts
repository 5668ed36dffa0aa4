/**
 * A throw-away Redis: no persistence, loopback only, on a free port, behind a generated password.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startProcess, waitUntil, type EngineProcess } from './child.ts';

/** A running redis-server. */
export interface RunningRedis {
  /** `redis://:<password>@127.0.0.1:<port>`: what clients (ioredis) connect with. */
  url: string;
  engine: EngineProcess;
  stop(): Promise<void>;
}

/** Starts redis-server and resolves once it answers PING (with its password). */
export async function startRedis(options: { redisServer: string; dir: string; port: number }): Promise<RunningRedis> {
  const password = randomBytes(16).toString('hex');
  const engine = startProcess('redis-server', options.redisServer, [
    // The password goes in on stdin, as a config file: argv is readable by every local user.
    '-',
  ], { cwd: options.dir, stdio: ['pipe', 'pipe', 'pipe'] });
  engine.child.stdin!.end([
    `port ${options.port}`,
    'bind 127.0.0.1',
    // LESSON: without a password any local user could PUBLISH fake invalidations or acks,
    // FLUSHALL the shared cache, or read it.
    `requirepass ${password}`,
    // A cache: nothing to keep across restarts, so no RDB snapshot and no append-only file.
    'save ""',
    'appendonly no',
    `dir ${JSON.stringify(options.dir)}`,
    '',
  ].join('\n'));
  const url = `redis://:${password}@127.0.0.1:${options.port}`;
  await waitUntil(engine, async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  });
  return { url, engine, stop: () => engine.stop('SIGTERM') };
}
