/**
 * A throw-away Redis: no persistence, loopback only, on a free port.
 */
import { Redis } from 'ioredis';
import { startProcess, waitUntil, type EngineProcess } from './child.ts';

/** A running redis-server. */
export interface RunningRedis {
  url: string;
  engine: EngineProcess;
  stop(): Promise<void>;
}

/** Starts redis-server and resolves once it answers PING. */
export async function startRedis(options: { redisServer: string; dir: string; port: number }): Promise<RunningRedis> {
  const engine = startProcess('redis-server', options.redisServer, [
    '--port', String(options.port),
    '--bind', '127.0.0.1',
    // A cache: nothing to keep across restarts, so no RDB snapshot and no append-only file.
    '--save', '',
    '--appendonly', 'no',
    '--dir', options.dir,
  ], { cwd: options.dir });
  const url = `redis://127.0.0.1:${options.port}`;
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
