import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readReference, referenceFacts, referencePath, saveReference, verdict, type ReaderEstimate } from '../src/bench/index.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const node = 'v26.12.1';
const mine = (ratio: number, low: number, high: number, pairs = 6, running = node): ReaderEstimate => ({ ratio, ci: { low, high }, pairs, node: running });
const ref = (ratio: number, low?: number, high?: number) => ({ ratio, ...(low === undefined ? {} : { ci: { low, high: high! } }), node });

describe('reproduce verdicts on intervals', () => {
  it('reproduced: same direction and the intervals overlap', () => {
    expect(verdict(mine(1.8, 1.7, 1.94), ref(2.0, 1.9, 2.1)).kind).toBe('reproduced');
    expect(verdict(mine(0.5, 0.46, 0.55), ref(0.45, 0.4, 0.5)).kind).toBe('reproduced');
    // Both no difference: nothing to disagree on.
    expect(verdict(mine(0.99, 0.95, 1.04), ref(1.02, 0.97, 1.06)).text).toBe('reproduced (no difference, as in the reference)');
  });

  it('size differs: same direction, intervals apart', () => {
    const v = verdict(mine(2.0, 1.9, 2.1), ref(4.3, 4.0, 4.6));
    expect(v.kind).toBe('size differs');
    expect(verdict(mine(0.2, 0.18, 0.22), ref(0.52, 0.5, 0.55)).kind).toBe('size differs');
    // No effect here, and the reference's size excluded: not a matter of more rounds.
    expect(verdict(mine(1.0, 0.97, 1.03), ref(2.0, 1.9, 2.1)).kind).toBe('size differs');
  });

  it('not reproduced: the direction flips', () => {
    const v = verdict(mine(1.4, 1.3, 1.5), ref(0.52, 0.5, 0.55));
    expect(v.kind).toBe('not reproduced');
    expect(v.text).toContain('opposite direction');
    expect(verdict(mine(0.88, 0.85, 0.91), ref(1.15, 1.1, 1.2)).kind).toBe('not reproduced');
  });

  it('inconclusive when this interval contains 1 but overlaps a reference that excludes it, with the rounds that would do', () => {
    // ln(1.3/0.9) = 0.368 wide; the reference's effect ln 1.2 = 0.182: (0.368/0.182)^2 × 6 ≈ 24.5.
    const v = verdict(mine(1.08, 0.9, 1.3), ref(1.2, 1.15, 1.25));
    expect(v.kind).toBe('inconclusive');
    expect(v.roundsNeeded).toBe(25);
    expect(v.text).toContain('about 25 rounds would decide');
  });

  it('inconclusive when this interval is wider than the effect it judges', () => {
    // Width ln(3/1.2) = 0.92 against the reference's effect ln 2 = 0.69.
    const v = verdict(mine(2.0, 1.2, 3.0), ref(2.0, 1.9, 2.1));
    expect(v.kind).toBe('inconclusive');
    expect(v.roundsNeeded).toBe(Math.ceil(6 * (Math.log(3 / 1.2) / Math.log(2)) ** 2));
    expect(v.text).toContain('as wide as the effect it judges');
  });

  it('reproduced when this interval is wider than a tight reference\'s but narrower than the effect', () => {
    // Lesson 03's by-id cache, two runs on one machine: 1.53–1.90 against 1.79–1.84.
    expect(verdict(mine(1.71, 1.53, 1.9), ref(1.81, 1.79, 1.84)).kind).toBe('reproduced');
  });

  it('inconclusive when both sides show no difference but this interval is far wider', () => {
    // ln(1.3/0.8) = 0.49 against twice the reference's ln(1.02/0.98) = 0.08.
    expect(verdict(mine(1.0, 0.8, 1.3), ref(1.0, 0.98, 1.02)).kind).toBe('inconclusive');
  });

  it('on another Node line judges direction only, and says so', () => {
    // 224x against 756x: the size moved between lines; the direction is what carries over.
    const same = verdict(mine(224, 200, 250, 6, 'v20.20.2'), ref(756, 700, 800));
    expect(same.kind).toBe('reproduced');
    expect(same.text).toContain('Node 20 vs the reference\'s Node 26: direction judged only');
    expect(same.notes).toEqual(['Node 20 vs the reference\'s Node 26: direction judged only']);
    expect(same.reason).toBe('reproduced (same direction)');
    expect(verdict(mine(0.8, 0.7, 0.9, 6, 'v20.20.2'), ref(1.5, 1.4, 1.6)).kind).toBe('not reproduced');
    expect(verdict(mine(1.1, 0.9, 1.3, 6, 'v20.20.2'), ref(3, 2.8, 3.2)).kind).toBe('inconclusive');
  });

  it('reads a reference without an interval as a point, and says so', () => {
    const v = verdict(mine(4.1, 3.9, 4.4), ref(4.2));
    expect(v.kind).toBe('reproduced');
    expect(v.text).toContain('reference has no interval');
    expect(verdict(mine(3.0, 2.8, 3.2), ref(4.2)).kind).toBe('size differs');
  });

  it('says so when there is no reference', () => {
    expect(verdict(mine(1.2, 1.1, 1.3), undefined).kind).toBe('no reference');
  });

  it('finds bench.reference.json beside the bench script, and none for other scripts', () => {
    expect(referencePath('/x/lessons/05-bench/bench.ts')).toBe('/x/lessons/05-bench/bench.reference.json');
    expect(referencePath('/x/lessons/01-http/bench-tools.ts')).toBe('/x/lessons/01-http/bench-tools.reference.json');
    expect(referencePath('/x/node_modules/vitest/vitest.mjs')).toBeUndefined();
  });

  it('saves one entry per bench title with intervals, keeps the others, and still reads older files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ref-'));
    dirs.push(dir);
    const path = join(dir, 'bench.reference.json');
    writeFileSync(path, JSON.stringify({ date: '2026-11-01T00:00:00.000Z', node: 'v26.12.1', cores: 2, tolerance: 0.3, benches: { old: { ratios: [{ variant: 'p', baseline: 'q', rate: 0.5, withinNoise: true }] } } }));
    const facts = { date: '2026-12-01T15:00:00.000Z', node: 'v26.12.1', cores: 2 };
    saveReference('a', [{ variant: 'x', baseline: 'y', rate: 4.1, rateCi: { low: 3.9, high: 4.3 }, cpuPerRequest: 0.24, cpuCi: { low: 0.22, high: 0.26 }, pairs: 6 }], facts, path);
    const file = readReference(path)!;
    expect(Object.keys(file.benches)).toEqual(['old', 'a']);
    expect(file.benches.a!.ratios[0]).toMatchObject({ rate: 4.1, rateCi: { low: 3.9, high: 4.3 }, cpuCi: { low: 0.22, high: 0.26 } });
    expect(file.benches.old!.ratios[0]!.rate).toBe(0.5);
    expect(file).toMatchObject({ node: 'v26.12.1', cores: 2, date: facts.date });
    // Each bench keeps the run it came from: the old entry is not restamped by a.
    expect(referenceFacts(file, 'a')).toEqual(facts);
    expect(referenceFacts(file, 'old')).toEqual({ date: '2026-11-01T00:00:00.000Z', node: 'v26.12.1', cores: 2 });
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });
});
