/**
 * The README's "Node versions" table, measured on the running Node: the exact values for its
 * major line, not "at least".
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { factsByMajor, maglevDefault } from '../src/node-versions.ts';

const major = Number(process.versions.node.split('.')[0]);
const facts = factsByMajor[major];

describe(`Node versions table, on ${process.version}`, () => {
  it('has a row for this major line', () => {
    expect(facts, `no row for Node ${major}: check the facts and add one`).toBeDefined();
  });

  it(`ArrayBuffer.prototype.transfer is ${facts?.arrayBufferTransfer ? 'there' : 'missing'}`, () => {
    expect(typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function').toBe(facts!.arrayBufferTransfer);
  });

  it(`Maglev is ${facts?.maglevByDefault ? 'on' : 'off'} by default`, () => {
    expect(maglevDefault(execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }))).toBe(facts!.maglevByDefault);
  });

  it(`Buffer.poolSize is ${facts?.bufferPoolSize}`, () => {
    expect(Buffer.poolSize).toBe(facts!.bufferPoolSize);
  });
});
