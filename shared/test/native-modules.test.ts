// The course's native modules must be built for the Node that runs the tests. A module built
// against another Node's headers fails only when loaded ("NODE_MODULE_VERSION 115 ... requires
// 147"), so this checks both that it loads and which ABI its binary registers for.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

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
