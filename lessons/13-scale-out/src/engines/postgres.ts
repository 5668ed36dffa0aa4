/**
 * A throw-away PostgreSQL server: initdb into a folder, start it on a free port, stop it.
 *
 * PostgreSQL refuses to run as root (a database bug must not own the machine), so when this
 * process is root the data folder is handed to an unprivileged user and the server runs as it.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startProcess, waitUntil, type EngineProcess } from './child.ts';

/** Options for {@link startPostgres}. */
export interface PostgresOptions {
  initdb: string;
  postgres: string;
  /** Folder for the cluster's files (created; `pgdata` inside it). */
  dir: string;
  port: number;
  /** Server-wide connection limit: every pool of every worker of every host shares it. */
  maxConnections: number;
}

/** A running server. */
export interface RunningPostgres {
  url: string;
  engine: EngineProcess;
  maxConnections: number;
  stop(): Promise<void>;
}

/** uid/gid to run as when we are root: the `postgres` user Debian creates, else `nobody`. */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  }
  throw new Error('running as root, and neither a "postgres" nor a "nobody" user exists to run PostgreSQL as');
}

/** initdb (first time only), then the server; resolves once it answers a query. */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const user = unprivilegedUser();
  const dataDir = join(options.dir, 'pgdata');
  mkdirSync(options.dir, { recursive: true });
  if (user) chownSync(options.dir, user.uid, user.gid);
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // --no-sync: a scratch cluster need not survive a power cut while it is being created.
    const init = spawnSync(options.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], {
      ...asUser, encoding: 'utf8', cwd: options.dir,
    });
    if (init.status !== 0) throw new Error(`initdb failed (${init.status}):\n${init.stderr}${init.stdout}`);
  }

  const engine = startProcess('postgres', options.postgres, [
    '-D', dataDir,
    '-p', String(options.port),
    '-h', '127.0.0.1',
    // TCP only: no socket file whose path could exceed the 107-byte limit.
    '-c', 'unix_socket_directories=',
    // LESSON: the ceiling that hosts × workers × pool size must stay under.
    '-c', `max_connections=${options.maxConnections}`,
    '-c', 'logging_collector=off',
  // If this process dies without stopping it (kill -9), SIGINT: the same fast shutdown.
  ], { ...asUser, cwd: options.dir, parentDeathSignal: 'INT' });

  const url = `postgres://postgres@127.0.0.1:${options.port}/postgres`;
  await waitUntil(engine, async () => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => {});
    }
  });
  // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions and stop now.
  // SIGTERM ("smart") would wait for every client to disconnect first.
  return { url, engine, maxConnections: options.maxConnections, stop: () => engine.stop('SIGINT', 15_000) };
}
