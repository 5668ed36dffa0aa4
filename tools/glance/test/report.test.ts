import { describe, expect, it } from 'vitest';
import { collect } from '../src/report/collect.ts';
import { buildHtml } from '../src/report/html.ts';
import { fixtureResults, fixtureRoot } from './fixture-paths.ts';

describe('collecting results for the page', () => {
  const data = collect(fixtureRoot, fixtureResults);
  const lesson = (id: string) => data.lessons.find((l) => l.id === id)!;

  it('takes the latest result per lesson and title, with its ratios, intervals and verdicts', () => {
    const runs = lesson('lesson-03').runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.date).toBe('2026-12-07T05:00:00.000Z');
    expect(runs[0]!.ratios.map((r) => [r.variant, r.verdict])).toEqual([
      ['cached-stats', 'reproduced'], ['cached-by-id', 'size differs'], ['uncached-stats (A/A)', 'not reproduced'],
    ]);
    expect(runs[0]!.ratios[0]!.ci).toEqual({ low: 700, high: 800 });
    expect(runs[0]!.loadAverage).toEqual([2.1, 1.8, 1.5]);
  });

  it('fills a reference from the lesson reference file when the run carried none', () => {
    const byId = lesson('lesson-03').runs[0]!.ratios[1]!;
    expect(byId.reference).toEqual({ ratio: 1.22, ci: { low: 1.05, high: 1.4 }, node: 'v26.12.1', date: '2026-12-01T16:16:56.878Z' });
  });

  it('shows a result written before comparisons existed as ratios of rates, without verdicts', () => {
    const run = lesson('lesson-02').runs[0]!;
    expect(run.hasComparisons).toBe(false);
    expect(run.ratios).toEqual([expect.objectContaining({ variant: 'prepared', baseline: 'ad hoc', ratio: 1.9, verdict: 'older result' })]);
    expect(run.variants[1]!.percentiles).toEqual([{ percentile: 50, ms: 4 }, { percentile: 99, ms: 11 }, { percentile: 99.9, ms: 16 }]);
  });

  it('pairs an older result\'s variants with the first one when none names its baseline, as the harness does', () => {
    expect(lesson('lesson-05').runs[0]!.ratios.map((r) => [r.variant, r.baseline, r.ratio])).toEqual([['wrk', 'autocannon', 1.5], ['ab', 'autocannon', 0.75]]);
  });

  it('skips a file that is not JSON with a note, and marks lessons without results', () => {
    expect(lesson('lesson-08').runs).toEqual([]);
    expect(lesson('lesson-08').problems[0]).toMatch(/broken-.*not readable JSON/);
    expect(lesson('lesson-04').runs).toEqual([]);
    expect(lesson('lesson-04').references[0]!.benches[0]!.ratios[0]!.rateCi).toEqual({ low: 8.1, high: 11.2 });
  });

  it('finds lesson 05 and 08 pictures and the scoreboard and summary', () => {
    expect(lesson('lesson-05').pictures[0]!.source).toBe('reference picture committed with the lesson');
    expect(lesson('lesson-08').pictures[0]!.svg).toContain('<svg');
    expect(data.scoreboard?.cells).toHaveLength(9);
    expect(data.summary?.lessons).toHaveLength(2);
  });
});

describe('the page', () => {
  it('loads nothing from the network: no src or href to an http(s) address, and a CSP that forbids fetching', () => {
    const html = buildHtml(collect(fixtureRoot, fixtureResults));
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain("default-src 'none'");
    // Chart.js and the data are inside the file.
    expect(html).toMatch(/Chart\.js v4\.\d+\.\d+/);
  });

  it('keeps data inert: a result title holding </script> cannot end the data element', () => {
    const data = collect(fixtureRoot, fixtureResults);
    data.lessons[0]!.title = '</script><img src=x onerror=alert(1)>';
    const html = buildHtml(data, '/* chart */');
    // Three scripts: Chart.js, the data, the page's code; no other element can start inside them.
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).not.toContain('<img src=x');
  });
});
