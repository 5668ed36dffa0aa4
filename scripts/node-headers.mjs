// Picks the C headers that native modules (better-sqlite3, lesson 07's addon) are compiled
// against: they must be the headers of the Node that will load them.
//
// Why this matters: npm exports its own `nodedir` setting to every script it runs (on Debian
// that is /usr, the system Node's headers), so under another Node an inherited
// npm_config_nodedir silently builds better-sqlite3 for the wrong ABI ("compiled against
// NODE_MODULE_VERSION 115 ... requires 147"). We never trust a folder by its name: we read its
// include/node/node_version.h and use it only when it is exactly process.version.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The version ("v26.12.1") whose headers are in nodedir/include/node, or undefined. */
export function headersVersion(nodedir) {
  const file = join(nodedir, 'include', 'node', 'node_version.h');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const part = (name) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
  const [major, minor, patch] = [part('MAJOR'), part('MINOR'), part('PATCH')];
  return major && minor && patch ? `v${major}.${minor}.${patch}` : undefined;
}

/**
 * Folders that may hold this Node's headers, in the order we try them: the one the reader
 * names (COURSE_NODEDIR, or npm_config_nodedir, which may also be npm's inherited default),
 * the prefix of the running binary (<prefix>/bin/node beside <prefix>/include/node, as in
 * the official builds, Homebrew and Debian), the course's own fetched copy
 * (.node/<version>/, see scripts/fetch-node.mjs), and node-gyp's download cache.
 */
export function headerCandidates({ env = process.env, execPath = process.execPath, version = process.version } = {}) {
  const bare = version.replace(/^v/, '');
  const list = [
    env.COURSE_NODEDIR,
    env.npm_config_nodedir,
    dirname(dirname(execPath)),
    join(root, '.node', bare),
    join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'node-gyp', bare),
  ].filter(Boolean).map((dir) => resolve(dir));
  return [...new Set(list)];
}

/**
 * Returns { nodedir, tried } where nodedir holds headers for exactly `version` (undefined
 * when none does) and tried lists every candidate with the version it holds.
 */
export function findNodeHeaders(options = {}) {
  const version = options.version ?? process.version;
  const tried = headerCandidates(options).map((dir) => ({ dir, version: headersVersion(dir) }));
  return { nodedir: tried.find((c) => c.version === version)?.dir, tried };
}

/**
 * Like findNodeHeaders, but throws an Error with a message a reader can act on when no
 * candidate matches. We stop rather than let node-gyp download headers from nodejs.org: the
 * course promises that Node + the npm registry are all it needs.
 */
export function requireNodeHeaders(options = {}) {
  const version = options.version ?? process.version;
  const { nodedir, tried } = findNodeHeaders(options);
  if (nodedir) return nodedir;
  const lines = tried.map((c) => `  ${c.dir}: ${c.version ? `headers of ${c.version}` : 'no headers'}`);
  throw new Error([
    `No C headers for Node ${version} found, so native modules cannot be built for it. Looked in:`,
    ...lines,
    `Fix: point COURSE_NODEDIR at a folder holding include/node/node_version.h of ${version},`,
    `or (Linux x64) run \`node scripts/fetch-node.mjs ${version.replace(/^v/, '')}\`, which puts them in .node/.`,
  ].join('\n'));
}
