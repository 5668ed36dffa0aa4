#!/usr/bin/env node
// Builds the C++ addon (binding.gyp -> build/Release/path_length.node) with the local node-gyp.
// Runs as this package's `install` script, so `pnpm install` builds it; run it by hand with
// `pnpm --filter lesson-07 build:addon`.
//
// Offline by design: node-gyp is pointed at the C headers that ship beside this Node binary
// (<prefix>/include/node), the same logic as scripts/pnpm.mjs at the repo root. If they are
// missing and npm_config_nodedir is not set, we stop with a message instead of letting
// node-gyp download them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lessonDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(lessonDir, 'package.json'));

const prefix = dirname(dirname(process.execPath));
const nodedir = process.env.npm_config_nodedir
  || (existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined);
if (!nodedir) {
  console.error(`lesson-07: Node's headers are not at ${join(prefix, 'include', 'node')}; set npm_config_nodedir to a folder holding include/node/node_api.h, then run: pnpm --filter lesson-07 build:addon`);
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
