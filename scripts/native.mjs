// Keeps better-sqlite3 built for the Node that runs the course.
//
// A native module built with Node A's headers refuses to load in Node B when their ABIs
// (process.versions.modules) differ: "compiled against ... NODE_MODULE_VERSION 115. This
// version of Node.js requires NODE_MODULE_VERSION 147". `pnpm install` does not notice a Node
// switch (node_modules looks complete), so after installing we load the module in a child
// process (a failed dlopen cannot be undone in-process) and rebuild it when it does not load.
// Lesson 07's addon is Node-API: one build loads on every Node line, so it needs no check.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPnpm } from './pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// better-sqlite3 loads its binary lazily, on the first `new Database()`.
const PROBE = "const D = require('better-sqlite3'); new D(':memory:').close();";

/** { ok: true } when better-sqlite3 loads under this Node, else { ok: false, reason }. */
export function probeBetterSqlite3() {
  const run = spawnSync(process.execPath, ['-e', PROBE], { cwd: join(root, 'shared'), encoding: 'utf8' });
  if (run.status === 0) return { ok: true };
  const text = `${run.stderr}${run.stdout}`;
  const built = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(text);
  if (built) {
    return { ok: false, reason: `it was built for ABI ${built[1]} and Node ${process.version} needs ABI ${built[2]}` };
  }
  const first = text.split('\n').find((line) => /Error|Cannot/.test(line))?.trim() ?? `exit code ${run.status}`;
  return { ok: false, reason: `it does not load under Node ${process.version} (${first})` };
}

/** Rebuilds better-sqlite3 when it does not load under this Node; returns an exit code. */
export function ensureNativeModules() {
  const probe = probeBetterSqlite3();
  if (probe.ok) return 0;
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const log = join(root, 'tmp', 'rebuild-better-sqlite3.log');
  console.log(`Rebuilding better-sqlite3: ${probe.reason} (about a minute; output in tmp/rebuild-better-sqlite3.log).`);
  const code = runPnpm(['-r', 'rebuild', 'better-sqlite3'], { log });
  if (code !== 0) {
    console.error(readFileSync(log, 'utf8').split('\n').slice(-30).join('\n'));
    console.error(`Rebuilding better-sqlite3 failed (exit code ${code}); the full output is in ${log}.`);
    return code;
  }
  const after = probeBetterSqlite3();
  if (after.ok) return 0;
  console.error(`better-sqlite3 still does not load after the rebuild: ${after.reason}`);
  return 1;
}
