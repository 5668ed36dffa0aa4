/**
 * The engines are locked down as a deployment's would be: PostgreSQL only on a unix socket, with
 * scram passwords, the app as an ordinary role; Redis behind a password; HAProxy's runtime API on
 * a socket only its user may open. Each refuses a client that does not hold the secret.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEngineBinaries } from '../src/engines/binaries.ts';
import { canConnect } from '../src/engines/child.ts';
import { freePort } from '@course/shared/tools';
import { startHaproxy, type RunningHaproxy } from '../src/engines/haproxy.ts';
import { appRole, socketUrl, startPostgres, type RunningPostgres } from '../src/engines/postgres.ts';
import { startRedis, type RunningRedis } from '../src/engines/redis.ts';
import { engineUser, scratchDir } from '../src/engines/scratch.ts';
import { skipWithoutEngines } from './engines-gate.ts';

/** Connects with `url`, runs `sql`, always closes; resolves with the error, if any. */
async function tryQuery(url: string, sql: string): Promise<{ code?: string; message: string } | undefined> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(sql);
    return undefined;
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  } finally {
    await client.end().catch(() => {});
  }
}

describe.skipIf(skipWithoutEngines())('engines that refuse a client without the secret', () => {
  let dir: string;
  let pgPort: number;
  let postgres: RunningPostgres;
  let redis: RunningRedis;
  let haproxy: RunningHaproxy;

  beforeAll(async () => {
    const binaries = requireEngineBinaries();
    dir = scratchDir('auth');
    pgPort = await freePort();
    postgres = await startPostgres({ ...binaries, dir: join(dir, 'pg'), port: pgPort, maxConnections: 10 });
    mkdirSync(join(dir, 'redis'));
    redis = await startRedis({ ...binaries, dir: join(dir, 'redis'), port: await freePort() });
    haproxy = await startHaproxy({ haproxy: binaries.haproxy, dir, port: await freePort(), adminSocket: join(dir, 'admin.sock'), hosts: [], retries: 'on' });
  });
  afterAll(async () => {
    await Promise.all([haproxy?.stop(), redis?.stop(), postgres?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('PostgreSQL: no TCP listener; a wrong password is refused, even on its own socket', async () => {
    expect(await canConnect('127.0.0.1', pgPort)).toBe(false);
    const wrong = await tryQuery(socketUrl(appRole, 'not-the-password', postgres.socketDir, pgPort, appRole), 'SELECT 1');
    expect(wrong?.code).toBe('28P01'); // invalid_password
    const asSuperuser = await tryQuery(socketUrl('postgres', 'not-the-password', postgres.socketDir, pgPort, 'postgres'), 'SELECT 1');
    expect(asSuperuser?.code).toBe('28P01');
    expect(await tryQuery(postgres.url, 'SELECT 1')).toBeUndefined();
  });

  it("PostgreSQL: the app's role is no superuser (no COPY … TO PROGRAM) and owns its own database", async () => {
    const program = await tryQuery(postgres.url, "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'");
    expect(program?.code).toBe('42501'); // insufficient_privilege
    expect(await tryQuery(postgres.url, 'CREATE TABLE t_owned (id int); DROP TABLE t_owned')).toBeUndefined();
    // The same statement as the superuser runs (a program that reads its input: no broken pipe).
    expect(await tryQuery(postgres.superuserUrl, "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'")).toBeUndefined();
  });

  it('Redis: a client without the password can neither read nor publish', async () => {
    // A raw connection, so no client library's handshake is in the way: RESP commands as text.
    const url = new URL(redis.url);
    const answers = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port) });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => { text += chunk; if (text.split('\r\n').length > 3) socket.end(); });
      socket.once('error', reject);
      socket.once('close', () => resolve(text));
      socket.write('PING\r\nPUBLISH items:invalidate x\r\nGET item:1\r\n');
    });
    expect(answers.split('\r\n').filter(Boolean)).toEqual([expect.stringMatching(/^-NOAUTH/), expect.stringMatching(/^-NOAUTH/), expect.stringMatching(/^-NOAUTH/)]);
    const withPassword = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await withPassword.connect();
      expect(await withPassword.ping()).toBe('PONG');
    } finally {
      withPassword.disconnect();
    }
  });

  it("HAProxy: the runtime API is a socket only this user may open (mode 600), and it answers", async () => {
    const socket = statSync(join(dir, 'admin.sock'));
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect(socket.uid).toBe(process.getuid?.());
    expect(await haproxy.admin.command('show info')).toContain('Name: HAProxy');
    // As root, prove it: another user is refused at the socket.
    const user = engineUser();
    if (user) {
      const probe = `require('net').connect(${JSON.stringify(join(dir, 'admin.sock'))}).on('connect', () => process.exit(0)).on('error', (e) => { console.log(e.code); process.exit(3); })`;
      const result = spawnSync(process.execPath, ['-e', probe], { uid: user.uid, gid: user.gid, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(3);
      expect(result.stdout.trim()).toBe('EACCES');
    }
  });
});
