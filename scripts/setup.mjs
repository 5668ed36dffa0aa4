#!/usr/bin/env node
// `npm run setup` at the root: install the workspace (pnpm through npx, native builds against
// this Node's headers), then make sure better-sqlite3 loads under this Node, rebuilding it
// after a Node switch. `npm start` and `npm test` run the same steps first.
import { fileURLToPath } from 'node:url';
import { ensureNativeModules } from './native.mjs';
import { isInstalled, runPnpm } from './pnpm.mjs';

/**
 * Installs (always, or only when nothing is installed yet) and then checks the native
 * modules. Returns an exit code.
 */
export function setUp({ install = 'always' } = {}) {
  if (install === 'always' || !isInstalled()) {
    const code = runPnpm(['install', '--frozen-lockfile']);
    if (code !== 0 || !isInstalled()) {
      console.error('\nInstall failed: see the messages above. Native modules need python3, make and a C++ compiler.');
      return code || 1;
    }
  }
  return ensureNativeModules();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(setUp());
