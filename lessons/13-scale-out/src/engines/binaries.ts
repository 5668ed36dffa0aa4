/**
 * Where the three engines' programs are. PostgreSQL's server programs are not on PATH on
 * Debian (they live in /usr/lib/postgresql/<major>/bin), nor on Homebrew's keg-only formulae.
 */
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute paths of the programs the lesson starts. */
export interface EngineBinaries {
  initdb: string;
  postgres: string;
  redisServer: string;
  haproxy: string;
}

/** One message for every missing program, naming the packages that provide them. */
export class MissingEnginesError extends Error {
  override name = 'MissingEnginesError';
  constructor(readonly missing: string[]) {
    super(
      `lesson-13 needs PostgreSQL, Redis and HAProxy installed; not found: ${missing.join(', ')}.\n` +
        '  Debian/Ubuntu: sudo apt-get install -y postgresql redis-server haproxy\n' +
        '  macOS (Homebrew): brew install postgresql@17 redis haproxy\n' +
        '  (or run the engines in containers: see compose.yaml)',
    );
  }
}

function onPath(name: string, extraDirs: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Versioned PostgreSQL bin folders, newest first (Debian and Homebrew layouts). */
function postgresDirs(): string[] {
  const dirs: string[] = [];
  for (const root of ['/usr/lib/postgresql', '/opt/homebrew/opt', '/usr/local/opt']) {
    if (!existsSync(root)) continue;
    const versions = readdirSync(root)
      .filter((name) => /^\d+$/.test(name) || /^postgresql(@\d+)?$/.test(name))
      .sort((a, b) => Number(b.replace(/\D/g, '') || 0) - Number(a.replace(/\D/g, '') || 0));
    dirs.push(...versions.map((v) => join(root, v, 'bin')));
  }
  return dirs;
}

/** Finds every program, or reports all the missing ones at once. */
export function findEngineBinaries(): { binaries?: EngineBinaries; missing: string[] } {
  const pgDirs = postgresDirs();
  const found = {
    initdb: onPath('initdb', pgDirs),
    postgres: onPath('postgres', pgDirs),
    redisServer: onPath('redis-server', ['/usr/sbin', '/opt/homebrew/bin']),
    haproxy: onPath('haproxy', ['/usr/sbin', '/opt/homebrew/bin']),
  };
  const missing = Object.entries(found).filter(([, path]) => !path).map(([name]) => name === 'redisServer' ? 'redis-server' : name);
  return missing.length === 0 ? { binaries: found as EngineBinaries, missing } : { missing };
}

/** @throws MissingEnginesError naming the packages to install */
export function requireEngineBinaries(): EngineBinaries {
  const { binaries, missing } = findEngineBinaries();
  if (!binaries) throw new MissingEnginesError(missing);
  return binaries;
}
