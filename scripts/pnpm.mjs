#!/usr/bin/env node
// Runs the pinned pnpm with the environment this course needs, using only Node and npm.
//
// Why a wrapper: a learner may have no pnpm at all, and native modules (better-sqlite3,
// lesson 07's addon) are compiled by node-gyp, which needs Node's C headers. On machines
// without internet access node-gyp cannot download them, and pnpm 12 ignores `nodedir`
// in .npmrc, so we point node-gyp at the headers that ship beside this Node binary
// (npm_config_nodedir) whenever they exist. No manual environment variables.
//
// Usage: node scripts/pnpm.mjs [--ensure-install] <pnpm args...>
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = pkg.packageManager; // e.g. "pnpm@12.4.2"

/** Environment with npm_config_nodedir set when Node's headers are on disk. */
export function courseEnv(base = process.env) {
  const env = { ...base };
  if (!env.npm_config_nodedir) {
    // Node installed under <prefix>/bin/node keeps its headers in <prefix>/include/node.
    const prefix = dirname(dirname(process.execPath));
    if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
  }
  // No build-from-source flag: with internet, prebuild-install fetches a prebuilt
  // better-sqlite3; without it, the download fails at once and node-gyp builds locally.
  return env;
}

/** Runs pnpm (the pinned version, through npx when it is not on PATH) and returns its exit code. */
export function runPnpm(args, { env = courseEnv() } = {}) {
  const wanted = pnpmSpec.split('@')[1];
  const local = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env });
  const usable = local.status === 0 && local.stdout.trim() === wanted;
  const [cmd, cmdArgs] = usable ? ['pnpm', args] : ['npx', ['-y', pnpmSpec, ...args]];
  const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
  if (result.error) throw result.error;
  return result.status ?? 1;
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
