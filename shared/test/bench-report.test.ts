import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../src/index.ts';
import { compare, conditionLines, report, createProgress, formatRatio, mergeProfiles, nodeVersionNote, pairs, parseStat, ratioLine, runConditions, selfTimes, tableRows, whatChanged, type CpuProfile, type VariantResult } from '../src/bench/index.ts';

const variant = (name: string, rate: number, cpu: number | undefined, range: [number, number]): VariantResult => ({
  name, rate, p50Ms: 1, p99Ms: name === 'x' ? 1.2 : 5.1, errors: 0, non2xx: 0, extra: {}, rounds: [],
  range: { min: range[0], max: range[1] },
  attribution: { serverCpuUsPerRequest: cpu, generatorCpuUsPerRequest: 40, generatorSharePct: 12, elu: cpu === undefined ? undefined : 0.9, gcCount: cpu === undefined ? undefined : 3, gcMs: cpu === undefined ? undefined : 1.5, processes: 1 },
});

describe('bench report', () => {
  it('names both ratios in the line a reader quotes', () => {
    const x = variant('x', 4100, 24, [4000, 4200]);
    const y = variant('y', 1000, 100, [950, 1050]);
    expect(ratioLine(x, y, 'req/s')).toBe('x / y = 4.1x req/s, 0.24x CPU per request (p99 1.20 ms vs 5.10 ms)');
  });

  it('prints a finding with both intervals, and "no difference detected" where an interval contains 1', () => {
    const withRounds = (name: string, rates: number[], cpu: number[], p99: number): VariantResult => ({
      ...variant(name, rates[0]!, cpu[0], [Math.min(...rates), Math.max(...rates)]), p99Ms: p99,
      rounds: rates.map((rate, i) => ({ rate, cpuPerRequest: cpu[i] })),
    });
    const uncached = withRounds('uncached', [1000, 1010, 990, 1005, 995, 1000], [100, 101, 99, 100, 100, 100], 31);
    // 1.82x req/s in every pair ±1%, 0.55x CPU per request.
    const cached = withRounds('cached', [1820, 1856, 1782, 1810, 1830, 1820], [55, 56, 54, 55, 55, 55], 4.1);
    const same = withRounds('same', [1000, 1060, 940, 1025, 975, 1010], [100, 104, 96, 101, 99, 100], 30);
    const { comparisons } = compare([[cached, uncached], [same, uncached]], false);
    expect(comparisons.map((c) => c.status)).toEqual(['finding', 'no difference']);
    const line = ratioLine(cached, uncached, 'req/s', comparisons[0]);
    expect(line).toMatch(/^cached \/ uncached = 1\.82x req\/s \(95% CI 1\.\d\d–1\.\d\d\), 0\.55x CPU per request \(0\.5\d–0\.5\d\) \(p99 4\.10 ms vs 31\.0 ms\)$/);
    expect(ratioLine(same, uncached, 'req/s', comparisons[1])).toMatch(/^same \/ uncached = no difference detected in req\/s \(95% CI 0\.9\d–1\.\d\d\), no difference detected in CPU per request \(0\.9\d–1\.\d\d\) /);
  });

  it('a ratio inside the A/A interval is no finding, even when it excludes 1', () => {
    const rounds = (rates: number[]): VariantResult => ({ ...variant('v', rates[0]!, undefined, [1, 2]), rounds: rates.map((rate) => ({ rate })) });
    const base = { ...rounds([100, 100, 100, 100, 100, 100]), name: 'base' };
    const aa = { ...rounds([106, 104, 105, 107, 103, 105]), name: 'base (A/A)' };
    const small = { ...rounds([105, 106, 104, 105, 105, 106]), name: 'small' };
    const big = { ...rounds([150, 152, 149, 151, 150, 150]), name: 'big' };
    const { comparisons, noiseFloor } = compare(pairs([base, small, big, { ...aa, baseline: 'base' }].map((v, i) => (i ? { ...v, baseline: 'base' } : v))), false);
    expect(noiseFloor.rate!.low).toBeGreaterThan(1);
    expect(comparisons.map((c) => [c.variant, c.aa, c.status])).toEqual([['small', false, 'no difference'], ['big', false, 'finding'], ['base (A/A)', true, 'finding']]);
    // A smoke run has neither findings nor a noise floor.
    const smoke = compare(pairs([base, { ...big, baseline: 'base' }]), true);
    expect(smoke.comparisons[0]!.status).toBe('smoke');
    expect(smoke.noiseFloor.rate).toBeUndefined();
  });

  it('prints the run\'s conditions: load before start, pinning, and a saturated generator', () => {
    const busy = { ...variant('busy', 1000, 10, [1, 2]), attribution: { generatorCoreShare: 0.97, pinned: true } };
    const calm = { ...variant('calm', 1000, 10, [1, 2]), attribution: { generatorCoreShare: 0.4, pinned: true } };
    const conditions = runConditions([busy, calm], { loadAverage: [3, 2, 1], pinned: true });
    expect(conditions).toEqual({ loadAverage: [3, 2, 1], pinned: true, generatorCoreShare: 0.97, generatorSaturated: true });
    const lines = conditionLines(conditions, [busy, calm]).join('\n');
    expect(lines).toContain('load average 3.00 (1 min)');
    expect(lines).toContain('servers pinned: yes');
    expect(lines).toContain('load generator at up to 97% of its core');
    expect(lines).toMatch(/warning: the machine was busy before start/);
    expect(lines).toContain('generator saturated (busy): compare CPU per request, not req/s');
    expect(conditionLines(runConditions([calm], { loadAverage: [0, 0, 0], pinned: false }), [calm]).join('\n')).not.toMatch(/saturated|busy/);
  });

  it('prints attribution columns, and "–" where a variant could not report one', () => {
    const rows = tableRows('req/s', [variant('probed', 1000, 50, [900, 1100]), variant('unprobed', 900, undefined, [850, 950])]);
    expect(rows[0]).toEqual(expect.arrayContaining(['req/s', 'min–max', 'p99 ms', 'srv µs/req', 'procs', 'gen µs/req', 'gen %CPU', 'ELU', 'GC n', 'GC ms']));
    const col = (name: string): number => rows[0]!.indexOf(name);
    expect(rows[1]![col('ELU')]).toBe('0.90');
    expect(rows[1]![col('min–max')]).toBe('900–1,100');
    for (const name of ['srv µs/req', 'ELU', 'GC n', 'GC ms']) expect(rows[2]![col(name)]).toBe('–');
  });

  it('omits the CPU ratio when either side has no CPU figure', () => {
    expect(ratioLine(variant('x', 2000, undefined, [1, 2]), variant('y', 1000, 10, [3, 4]), 'req/s')).toBe('x / y = 2.0x req/s (p99 1.20 ms vs 5.10 ms)');
    expect(formatRatio(Number.NaN)).toBe('n/a');
  });

  it('notes when the running Node is not the reference line', () => {
    expect(nodeVersionNote('v20.20.2')).toBe('note: README numbers were taken on Node 26.12.1; this is Node v20.20.2');
    expect(nodeVersionNote('v26.0.0')).toBeUndefined();
  });

  it('reads ppid and CPU ticks from /proc stat lines whose command holds spaces and parentheses', () => {
    const line = '4242 (PM2 v7 (God) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 50 7 3 20 0 11 0 1000 0 0';
    expect(parseStat(4242, line)).toEqual({ pid: 4242, ppid: 1, cpuTicks: 150 + 50 + 7 + 3, name: 'PM2 v7 (God) x' });
  });

  it('shows progress as plain lines when stderr is not a terminal', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => { text += c.toString(); });
    const progress = createProgress('lesson-xx · t', 10, out as unknown as NodeJS.WriteStream);
    progress.step('round 1/2 a', 5);
    progress.step('round 1/2 b', 5);
    progress.done();
    expect(text.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^lesson-xx · t · round 1\/2 a · ~10 s left/),
      expect.stringMatching(/^lesson-xx · t · round 1\/2 b · ~5 s left/),
    ]);
  });
});

describe('profiles', () => {
  const frame = (functionName: string, url = 'file:///app/src/x.ts', lineNumber = 9) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '1' });
  const profile = (hot: string, samples: number): CpuProfile => ({
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1), children: [2, 3] },
      { id: 2, callFrame: frame(hot), children: [] },
      { id: 3, callFrame: frame('(idle)', '', -1), children: [] },
    ],
    startTime: 0,
    endTime: (samples + 1) * 1000,
    samples: [...Array.from({ length: samples }, () => 2), 3],
    timeDeltas: Array.from({ length: samples + 1 }, () => 1000),
  });

  it('merges rounds into one profile and sums self-time per function, leaving idle out', () => {
    const merged = mergeProfiles([profile('parse', 10), profile('parse', 10), profile('render', 4)]);
    expect(merged.nodes.filter((n) => n.callFrame.functionName === '(root)')).toHaveLength(1);
    expect(new Set(merged.nodes.map((n) => n.id)).size).toBe(merged.nodes.length);
    const times = selfTimes(merged);
    expect(times.get('parse src/x.ts:10')).toBe(20_000);
    expect(times.get('render src/x.ts:10')).toBe(4_000);
    expect([...times.keys()].some((k) => k.includes('idle'))).toBe(false);
  });

  it('lists the functions whose self-time per request changed most', () => {
    const base = new Map([['parse', 8000], ['send', 1000]]);
    const next = new Map([['parse', 1000], ['send', 1000], ['cache', 500]]);
    const rows = whatChanged(base, 100, next, 100);
    expect(rows.map((r) => r.name)).toEqual(['parse', 'cache', 'send']);
    expect(rows[0]).toEqual({ name: 'parse', baseline: 80, variant: 10, change: -70 });
  });
});

describe('report against a reference file', () => {
  const facts = { lesson: 'test', title: 'cache', unit: 'req/s' };
  const options = { duration: 1, warmup: 0, rounds: 6, connections: 1, short: false, noSave: true };
  const series = (name: string, rates: number[], baseline?: string): VariantResult => ({
    name, baseline, rate: rates[0]!, p50Ms: 1, p99Ms: 2, errors: 0, non2xx: 0, extra: {}, rounds: rates.map((rate) => ({ rate })),
  });
  const base = series('uncached', [100, 101, 99, 100, 102, 98]);
  const variants = [base, series('cached', [200, 204, 197, 199, 205, 195], 'uncached'), series('uncached (A/A)', [100, 100, 101, 99, 100, 100], 'uncached')];

  it('saves intervals with --save-reference, then judges a run on them, printing repo-relative paths', () => {
    mkdirSync(join(repoRoot, 'tmp'), { recursive: true });
    const dir = mkdtempSync(join(repoRoot, 'tmp', 'bench-report-test-'));
    const script = process.argv[1];
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      process.argv[1] = join(dir, 'bench.ts');
      report(facts.lesson, facts.title, facts.unit, { ...options, saveReference: true }, variants);
      const where = `tmp/${basename(dir)}/bench.reference.json`;
      expect(log.mock.calls.flat().join('\n')).toContain(`reference saved: ${where}`);
      const saved = JSON.parse(readFileSync(join(dir, 'bench.reference.json'), 'utf8'));
      expect(saved.benches.cache.ratios[0]).toMatchObject({ variant: 'cached', baseline: 'uncached', pairs: 6 });
      expect(saved.benches.cache.ratios[0].rateCi.low).toBeLessThan(2);
      expect(saved.benches.cache.ratios[0].rateCi.high).toBeGreaterThan(2);
      log.mockClear();
      const result = report(facts.lesson, facts.title, facts.unit, options, variants);
      const printed = log.mock.calls.flat().join('\n');
      expect(printed).toContain(`reproduce: against ${where}`);
      expect(printed).toMatch(/cached \/ uncached\s+2\.\d\dx \(1\.\d\d–2\.\d\d\)\s+2\.\d\dx \(1\.\d\d–2\.\d\d\)\s+reproduced/);
      expect(printed).not.toContain(repoRoot);
      expect(result.comparisons[0]!.verdict).toMatchObject({ kind: 'reproduced', reference: { node: process.version } });
      expect(result.comparisons[0]!.status).toBe('finding');
      expect(result.noiseFloor).toEqual(result.comparisons[1]!.rate.ci);
    } finally {
      process.argv[1] = script!;
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
