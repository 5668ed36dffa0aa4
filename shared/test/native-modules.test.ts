// The course's native modules must be built for the Node that runs the tests. A module built
// against another Node's headers fails only when loaded ("NODE_MODULE_VERSION 115 ... requires
// 147"), so this checks both that it loads and which ABI its binary registers for.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { findNodeHeaders, requireNodeHeaders } from '../../scripts/node-headers.mjs';

const require = createRequire(import.meta.url);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every `node_register_module_v<N>` / `napi_register_module_v<N>` symbol name in a binary. */
function registrationSymbols(file: string): string[] {
  const text = readFileSync(file).toString('latin1');
  return [...new Set(text.match(/(?:node|napi)_register_module_v\d+/g) ?? [])];
}

describe(`native modules under Node ${process.version}`, () => {
  it(`better-sqlite3 loads and runs a query`, () => {
    const db = new Database(':memory:');
    try {
      const row = db.prepare('SELECT 6 * 7 AS answer').get() as { answer: number };
      expect(row.answer).toBe(42);
    } finally {
      db.close();
    }
  });

  it(`better-sqlite3's binary is built for this Node's ABI (${process.versions.modules})`, () => {
    const packageDir = dirname(require.resolve('better-sqlite3/package.json'));
    const binary = join(packageDir, 'build', 'Release', 'better_sqlite3.node');
    expect(registrationSymbols(binary)).toEqual([`node_register_module_v${process.versions.modules}`]);
  });

  // Lesson 07's addon is built by that lesson's install script; a checkout without a C++
  // toolchain may not have it, and lesson 07's own tests say so. Here: if it is built, it loads.
  const addon = join(repoRoot, 'lessons', '07-optimize', 'build', 'Release', 'path_length.node');
  it.skipIf(!existsSync(addon))('lesson 07\'s Node-API addon loads and computes', () => {
    const native = require(addon) as { segmentLength(x1: number, y1: number, x2: number, y2: number): number };
    expect(native.segmentLength(0, 0, 3, 4)).toBe(5);
  });

  it.skipIf(!existsSync(addon))('lesson 07\'s addon is Node-API, at a version this Node provides', () => {
    // Node-API modules are not tied to NODE_MODULE_VERSION: one build loads on every line that
    // offers the Node-API version it was compiled for (binding.gyp's NAPI_VERSION).
    expect(registrationSymbols(addon)).toEqual(['napi_register_module_v1']);
    const gyp = readFileSync(join(repoRoot, 'lessons', '07-optimize', 'binding.gyp'), 'utf8');
    const wanted = Number(/NAPI_VERSION=(\d+)/.exec(gyp)?.[1]);
    expect(wanted).toBeGreaterThan(0);
    expect(Number(process.versions.napi)).toBeGreaterThanOrEqual(wanted);
  });
});

// The choice scripts/pnpm.mjs and lesson 07's build-addon.mjs make before node-gyp runs.
describe('choosing the C headers to build against', () => {
  const base = mkdtempSync(join(tmpdir(), 'node-headers-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  /** A Node prefix (bin/node beside include/node) whose headers say `version`. */
  function fakePrefix(name: string, version: string): string {
    const [major, minor, patch] = version.replace(/^v/, '').split('.');
    const prefix = join(base, name);
    mkdirSync(join(prefix, 'include', 'node'), { recursive: true });
    writeFileSync(join(prefix, 'include', 'node', 'node_version.h'),
      `#define NODE_MAJOR_VERSION ${major}\n#define NODE_MINOR_VERSION ${minor}\n#define NODE_PATCH_VERSION ${patch}\n`);
    return prefix;
  }

  it('passes over an inherited npm_config_nodedir of another Node for the headers beside the binary', () => {
    const system = fakePrefix('system-20', 'v20.20.2');
    const reference = fakePrefix('fetched-26', 'v26.12.1');
    const found = findNodeHeaders({ env: { npm_config_nodedir: system }, execPath: join(reference, 'bin', 'node'), version: 'v26.12.1' });
    expect(found.nodedir).toBe(reference);
    expect(found.tried[0]).toEqual({ dir: system, version: 'v20.20.2' });
  });

  it('takes a reader-given folder when its headers match', () => {
    const given = fakePrefix('given-24', 'v24.22.3');
    const beside = fakePrefix('beside-24', 'v24.22.3');
    const found = findNodeHeaders({ env: { COURSE_NODEDIR: given }, execPath: join(beside, 'bin', 'node'), version: 'v24.22.3' });
    expect(found.nodedir).toBe(given);
  });

  it('stops with a message naming every folder it tried when none matches', () => {
    const system = fakePrefix('only-20', 'v20.20.2');
    const call = () => requireNodeHeaders({ env: { npm_config_nodedir: system }, execPath: join(base, 'bare', 'bin', 'node'), version: 'v99.1.2' });
    expect(call).toThrow(/No C headers for Node v99\.1\.2/);
    expect(call).toThrow(`${system}: headers of v20.20.2`);
    expect(call).toThrow('node scripts/fetch-node.mjs 99.1.2');
  });
});
