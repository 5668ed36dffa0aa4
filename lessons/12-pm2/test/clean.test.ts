/**
 * `npm run clean` (scripts/clean.mjs) must not delete the files of a process that still runs: a
 * pm2 daemon whose PM2_HOME is under tmp/, or a PostgreSQL whose data directory is. It names
 * each one and how to stop it, and exits 1. Only `--dry-run` runs here: a real clean would
 * remove the files of every other test running in this checkout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '@course/shared';
import { pm2 } from '../src/pm2.ts';
import { pm2Sandbox } from './helpers.ts';

function clean(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'scripts', 'clean.mjs'), ...args], { cwd: repoRoot, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run clean with processes still running from tmp/', () => {
  const sandbox = pm2Sandbox('clean', 10);
  const home = sandbox.env.PM2_HOME!;
  const pgdata = join(sandbox.dir, 'pgdata');
  const staleDir = join(sandbox.dir, 'stale-pgdata');
  let postgres: ChildProcess;

  beforeAll(async () => {
    expect((await pm2(['ping'], sandbox.env)).code).toBe(0); // starts this home's daemon
    // A stand-in for lesson 13's PostgreSQL: a process named postgres, its pid in postmaster.pid.
    postgres = spawn('bash', ['-c', 'exec -a postgres sleep 120'], { stdio: 'ignore' });
    mkdirSync(pgdata, { recursive: true });
    writeFileSync(join(pgdata, 'postmaster.pid'), `${postgres.pid}\n${pgdata}\n`);
    // A pid file whose process is gone does not count.
    mkdirSync(staleDir, { recursive: true });
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(join(staleDir, 'postmaster.pid'), `${gone.pid}\n`);
  }, 60_000);

  afterAll(async () => {
    postgres?.kill('SIGKILL');
    await sandbox.cleanup(); // pm2 kill with this PM2_HOME, then remove the folder
  }, 60_000);

  it('refuses, names the live pm2 daemon and PostgreSQL with how to stop each, and exits 1', async () => {
    const result = await clean(['--dry-run']);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/would remove/);
    expect(result.stderr).toContain(`pm2 daemon (pid `);
    expect(result.stderr).toContain(`in ${relative(repoRoot, home)}: cd lessons/12-pm2 && PM2_HOME=${home} npm run stop`);
    expect(result.stderr).toContain(`PostgreSQL (pid ${postgres.pid}) in ${relative(repoRoot, pgdata)}`);
    expect(result.stderr).not.toContain(relative(repoRoot, staleDir));
  });
});
