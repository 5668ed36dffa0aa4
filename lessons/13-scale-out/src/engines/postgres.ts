/**
 * A throw-away PostgreSQL server: initdb into a folder, start it, stop it.
 *
 * Locked down as a deployment would be: no TCP at all (a unix socket in a folder only its user
 * may enter), passwords checked with scram-sha-256 even there, generated passwords, and the
 * app connects as an ordinary role that owns its database, not as the superuser (a superuser
 * can run `COPY … TO PROGRAM`, i.e. commands as the server's user).
 *
 * PostgreSQL refuses to run as root (a database bug must not own the machine), so when this
 * process is root the data folder is handed to an unprivileged user and the server runs as it.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startProcess, waitUntil, type EngineProcess } from './child.ts';
import { assertEngineCanEnter, engineUser } from './scratch.ts';

/** Options for {@link startPostgres}. */
export interface PostgresOptions {
  initdb: string;
  postgres: string;
  /** Folder for the cluster's files and its socket (created; `pgdata` inside it). */
  dir: string;
  /** Names the socket file (`.s.PGSQL.<port>`); nothing listens on TCP. */
  port: number;
  /** Server-wide connection limit: every pool of every worker of every host shares it. */
  maxConnections: number;
}

/** A running server. */
export interface RunningPostgres {
  /** The app's connection URL: role `lesson13`, owner of database `lesson13`, not a superuser. */
  url: string;
  /** The superuser's URL (schema changes, operators): never given to the hosts. */
  superuserUrl: string;
  /** The folder holding the socket. */
  socketDir: string;
  engine: EngineProcess;
  maxConnections: number;
  stop(): Promise<void>;
}

/** The app's role and database. */
export const appRole = 'lesson13';

/** A password of 32 hex digits: nothing to escape in a URL or in SQL. */
const newPassword = (): string => randomBytes(16).toString('hex');

/** A URL for a unix socket in `dir` (the host part is the folder, percent-encoded). */
export function socketUrl(user: string, password: string, dir: string, port: number, database: string): string {
  return `postgres://${user}:${password}@${encodeURIComponent(dir)}:${port}/${database}`;
}

/** initdb (first time only), then the server; resolves once the app's role can query. */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const user = engineUser();
  const dataDir = join(options.dir, 'pgdata');
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  if (user) chownSync(options.dir, user.uid, user.gid);
  // Say plainly what is wrong before initdb says "could not change directory".
  assertEngineCanEnter(options.dir, user);
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  // A unix socket's path is limited to 107 bytes (Linux; 103 on macOS).
  const socketPath = join(options.dir, `.s.PGSQL.${options.port}`);
  if (Buffer.byteLength(socketPath) > 100) throw new Error(`PostgreSQL's socket path would be too long (${socketPath}): set TMPDIR to a shorter folder, e.g. /tmp`);

  const superPassword = newPassword();
  if (existsSync(join(dataDir, 'PG_VERSION'))) throw new Error(`${dataDir} exists already: startPostgres creates a new cluster each time`);
  // The superuser's password reaches initdb in a file only its user can read, never in argv.
  const pwfile = join(options.dir, 'pwfile');
  writeFileSync(pwfile, `${superPassword}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  // --no-sync: a scratch cluster need not survive a power cut while it is being created.
  // LESSON: scram-sha-256 for every connection, the local socket included (no `trust`).
  const init = spawnSync(options.initdb, ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], {
    ...asUser, encoding: 'utf8', cwd: options.dir,
  });
  rmSync(pwfile, { force: true });
  if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.error?.message}):\n${init.stderr}${init.stdout}`);

  const engine = startProcess('postgres', options.postgres, [
    '-D', dataDir,
    '-p', String(options.port),
    // LESSON: no TCP listener: only processes that can enter the socket's folder can connect.
    '-c', 'listen_addresses=',
    '-c', `unix_socket_directories=${options.dir}`,
    '-c', 'unix_socket_permissions=0700',
    // LESSON: the ceiling that hosts × workers × pool size must stay under.
    '-c', `max_connections=${options.maxConnections}`,
    '-c', 'logging_collector=off',
  // If this process dies without stopping it (kill -9), SIGINT: the same fast shutdown.
  ], { ...asUser, cwd: options.dir, parentDeathSignal: 'INT' });

  const superuserUrl = socketUrl('postgres', superPassword, options.dir, options.port, 'postgres');
  const query = async (url: string, sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query(sql);
    } finally {
      await client.end().catch(() => {});
    }
  };
  try {
    await waitUntil(engine, async () => { await query(superuserUrl, 'SELECT 1'); return true; });
    const appPassword = newPassword();
    // The app's own role: it owns its database (so it may create its tables), nothing else.
    await query(superuserUrl, `CREATE ROLE ${appRole} LOGIN PASSWORD '${appPassword}'`);
    await query(superuserUrl, `CREATE DATABASE ${appRole} OWNER ${appRole}`);
    // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions and stop now.
    // SIGTERM ("smart") would wait for every client to disconnect first.
    return {
      url: socketUrl(appRole, appPassword, options.dir, options.port, appRole),
      superuserUrl,
      socketDir: options.dir,
      engine,
      maxConnections: options.maxConnections,
      stop: () => engine.stop('SIGINT', 15_000),
    };
  } catch (error) {
    await engine.stop('SIGINT', 5000);
    throw error;
  }
}
