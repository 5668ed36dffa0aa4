import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readReference, referencePath, saveReference, verdict } from '../src/bench/index.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('reproduce verdicts', () => {
  it('reproduced: same direction and within the tolerance', () => {
    expect(verdict(4.0, 4.3).kind).toBe('reproduced');
    expect(verdict(0.5, 0.45).kind).toBe('reproduced');
    // Both about even: nothing to disagree on.
    expect(verdict(0.97, 1.04).kind).toBe('reproduced');
  });

  it('size differs: same direction, farther than the tolerance', () => {
    expect(verdict(2.0, 4.3).kind).toBe('size differs');
    expect(verdict(0.2, 0.52).kind).toBe('size differs');
    expect(verdict(1.0, 2.0).kind).toBe('size differs');
  });

  it('not reproduced: opposite direction, even when close in size', () => {
    expect(verdict(1.4, 0.52).kind).toBe('NOT reproduced');
    expect(verdict(0.88, 1.15).kind).toBe('NOT reproduced');
  });

  it('says so when there is no reference', () => {
    expect(verdict(1.2, undefined).kind).toBe('no reference');
  });

  it('the tolerance is stated and applied', () => {
    expect(verdict(1.5, 2.0, 0.3).kind).toBe('size differs');
    expect(verdict(1.5, 2.0, 0.5).kind).toBe('reproduced');
    expect(verdict(1.5, 2.0, 0.5).text).toContain('±50%');
  });

  it('finds bench.reference.json beside the bench script, and none for other scripts', () => {
    expect(referencePath('/x/lessons/05-bench/bench.ts')).toBe('/x/lessons/05-bench/bench.reference.json');
    expect(referencePath('/x/lessons/01-http/bench-tools.ts')).toBe('/x/lessons/01-http/bench-tools.reference.json');
    expect(referencePath('/x/node_modules/vitest/vitest.mjs')).toBeUndefined();
  });

  it('saves one entry per bench title and keeps the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ref-'));
    dirs.push(dir);
    const path = join(dir, 'bench.reference.json');
    const facts = { date: '2026-12-01T15:00:00.000Z', node: 'v26.12.1', cores: 2 };
    saveReference('a', [{ variant: 'x', baseline: 'y', rate: 4.1, cpuPerRequest: 0.24, withinNoise: false }], facts, path);
    saveReference('b', [{ variant: 'p', baseline: 'q', rate: 0.5, withinNoise: true }], facts, path);
    const file = readReference(path)!;
    expect(Object.keys(file.benches)).toEqual(['a', 'b']);
    expect(file.benches.a!.ratios[0]).toMatchObject({ rate: 4.1, cpuPerRequest: 0.24 });
    expect(file).toMatchObject({ node: 'v26.12.1', cores: 2, tolerance: 0.3 });
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });
});
