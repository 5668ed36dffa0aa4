#!/usr/bin/env node
// Builds the C++ addon (binding.gyp -> build/Release/path_length.node) with the local node-gyp.
// Runs as this package's `install` script, so `pnpm install` builds it; run it by hand with
// `pnpm --filter lesson-07 build:addon`.
//
// Offline by design: node-gyp is pointed at C headers whose node_version.h is exactly this
// Node's, chosen by the repo root's scripts/node-headers.mjs (the same choice scripts/pnpm.mjs
// makes for better-sqlite3; an inherited npm_config_nodedir of another Node is ignored). If none
// matches, we stop with a message instead of letting node-gyp download them.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireNodeHeaders } from '../../../scripts/node-headers.mjs';

const lessonDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(lessonDir, 'package.json'));

let nodedir;
try {
  nodedir = requireNodeHeaders();
} catch (error) {
  console.error(`lesson-07: ${error.message}\nThen run: cd lessons/07-optimize && npm run build:addon`);
  process.exit(1);
}

const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodedir}`], {
  cwd: lessonDir,
  stdio: 'inherit',
  // No download, ever: node-gyp only fetches headers when nodedir is missing, and we set it.
  env: { ...process.env, npm_config_nodedir: nodedir },
});
if (result.error) throw result.error;
if (result.status !== 0) {
  console.error('lesson-07: the C++ addon failed to build (see node-gyp output above); a C++ compiler, make and python3 are needed.');
}
process.exit(result.status ?? 1);
