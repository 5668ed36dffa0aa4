/**
 * Where the engines keep their files: a new folder under the system's temporary folder, never
 * inside the checkout. PostgreSQL refuses to run as root, so as root it runs as an unprivileged
 * user, and that user must be able to enter its data folder: a checkout under a folder closed to
 * other users (a clone in /root, mode 0700) would lock it out.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The unprivileged user an engine runs as when this process is root. */
export interface EngineUser {
  name: string;
  uid: number;
  gid: number;
}

/** The `postgres` user Debian creates, else `nobody`; undefined when this process is not root. */
export function engineUser(): EngineUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { name, uid: Number(uid.stdout), gid: Number(gid.stdout) };
  }
  throw new Error('running as root, and neither a "postgres" nor a "nobody" user exists to run PostgreSQL as');
}

/** True when `user` can enter `dir` (every folder on the way searchable by it). */
export function canEnter(dir: string, user: EngineUser): boolean {
  return spawnSync('/bin/sh', ['-c', 'cd "$1"', 'sh', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/** Says plainly which user cannot reach which folder, and what to do. */
export class UnreachableDirError extends Error {
  override name = 'UnreachableDirError';
  constructor(readonly dir: string, readonly user: string) {
    super(`PostgreSQL runs as the user "${user}" (it refuses to run as root), and that user cannot enter ${dir}: `
      + 'a folder on the way is closed to other users (mode 0700, as /root is). '
      + 'Point TMPDIR at a folder every user can enter (e.g. TMPDIR=/tmp), or run as an ordinary user.');
  }
}

/** @throws UnreachableDirError when this process is root and the engine user cannot enter `dir` */
export function assertEngineCanEnter(dir: string, user: EngineUser | undefined = engineUser()): void {
  if (user && !canEnter(dir, user)) throw new UnreachableDirError(dir, user.name);
}

/**
 * A new scratch folder `lesson-13-<prefix>-<pid>-XXXXXX` under `base` (default: the system's
 * temporary folder, TMPDIR). As root it is made searchable by others (0711: they can pass
 * through to a subfolder handed to them, not list it), and checked reachable by the engine user.
 * @throws UnreachableDirError when the engine user cannot enter it
 */
export function scratchDir(prefix: string, base = tmpdir()): string {
  const dir = mkdtempSync(join(base, `lesson-13-${prefix}-${process.pid}-`));
  const user = engineUser();
  if (user) chmodSync(dir, 0o711);
  try {
    assertEngineCanEnter(dir, user);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}
