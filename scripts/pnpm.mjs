#!/usr/bin/env node
// Runs the pinned pnpm with the environment this course needs, using only Node and npm.
//
// Why a wrapper: a learner may have no pnpm at all, and native modules (better-sqlite3,
// lesson 07's addon) are compiled by node-gyp, which needs the C headers of the Node that will
// load them. pnpm 12 ignores `nodedir` in .npmrc, and npm exports its own `nodedir` (often the
// system Node's) to every script, so we always set npm_config_nodedir to headers that match
// this Node exactly (see node-headers.mjs). No manual environment variables.
//
// Usage: node scripts/pnpm.mjs [--ensure-install] <pnpm args...>
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNodeHeaders, requireNodeHeaders } from './node-headers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = pkg.packageManager; // e.g. "pnpm@12.4.2"

/** pnpm commands that may compile native modules, so need this Node's headers. */
const BUILDING = new Set(['install', 'i', 'add', 'rebuild', 'rb', 'update', 'up']);

/**
 * Environment for pnpm and the scripts it runs: npm_config_nodedir points at headers of
 * exactly this Node. An inherited value that does not match is replaced; when nothing
 * matches it is left alone (harmless for commands that build nothing: building ones call
 * requireNodeHeaders first and stop with a clear message).
 */
export function courseEnv(base = process.env) {
  const env = { ...base };
  const { nodedir } = findNodeHeaders({ env: base });
  if (nodedir) env.npm_config_nodedir = nodedir;
  // No build-from-source flag: with internet, prebuild-install fetches a prebuilt
  // better-sqlite3; without it, the download fails at once and node-gyp builds locally.
  return env;
}

/**
 * Runs pnpm (the pinned version, through npx when it is not on PATH) and returns its exit
 * code. With `log`, its output goes to that file instead of the terminal.
 */
export function runPnpm(args, { env = courseEnv(), log } = {}) {
  if (args.some((arg) => BUILDING.has(arg))) {
    try {
      requireNodeHeaders({ env });
    } catch (error) {
      console.error(error.message);
      return 1;
    }
  }
  const wanted = pnpmSpec.split('@')[1];
  const local = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env });
  const usable = local.status === 0 && local.stdout.trim() === wanted;
  const [cmd, cmdArgs] = usable ? ['pnpm', args] : ['npx', ['-y', pnpmSpec, ...args]];
  const fd = log === undefined ? undefined : openSync(log, 'w');
  try {
    const stdio = fd === undefined ? 'inherit' : ['ignore', fd, fd];
    const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio, env });
    if (result.error) throw result.error;
    return result.status ?? 1;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** True when the workspace was installed and better-sqlite3's native module was built. */
export function isInstalled() {
  return existsSync(join(root, 'node_modules', '.modules.yaml'))
    && existsSync(join(root, 'shared', 'node_modules', 'better-sqlite3'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let args = process.argv.slice(2);
  if (args[0] === '--ensure-install') {
    args = args.slice(1);
    if (!isInstalled()) {
      const code = runPnpm(['install', '--frozen-lockfile']);
      if (code !== 0) process.exit(code);
    }
  }
  process.exit(runPnpm(args));
}
