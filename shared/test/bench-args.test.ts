import { describe, expect, it } from 'vitest';
import { defaultBenchOptions, formatRatio, parseBenchArgs, UsageError } from '../src/bench/index.ts';

describe('bench flags', () => {
  it('uses the defaults, and --short shortens everything not given explicitly', () => {
    expect(parseBenchArgs([]).options).toEqual(defaultBenchOptions);
    // Two rounds, so the variants run in both orders and neither is always first and cold.
    expect(parseBenchArgs(['--short', '--connections', '10']).options).toMatchObject({ short: true, duration: 0.5, warmup: 0.5, rounds: 2, connections: 10 });
    expect(parseBenchArgs(['--short', '--duration', '3']).options.duration).toBe(3);
  });

  it('accepts the documented form with a leading -- and the new flags', () => {
    expect(parseBenchArgs(['--', '--short', '--profile']).options).toMatchObject({ short: true, profile: true, saveReference: false });
    expect(parseBenchArgs(['--save-reference']).options.saveReference).toBe(true);
    expect(parseBenchArgs(['--', '--per-process']).options.perProcess).toBe(true);
    // A bench may turn the split on by default (lesson 12 does).
    expect(parseBenchArgs([], { perProcess: true }).options.perProcess).toBe(true);
  });

  it('refuses to save a reference from a smoke run', () => {
    expect(() => parseBenchArgs(['--short', '--save-reference'])).toThrow(/smoke/);
  });

  it('rejects unknown flags and bad values with a UsageError', () => {
    expect(() => parseBenchArgs(['--bogus'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--rounds', '1.5'])).toThrow(/--rounds/);
    expect(() => parseBenchArgs(['--duration', 'abc'])).toThrow(/--duration/);
  });

  it('accepts a lesson\'s own options', () => {
    const { values } = parseBenchArgs(['--size', '8'], {}, { size: { type: 'string' } });
    expect(values.size).toBe('8');
  });

  it('formats ratios with enough digits to quote', () => {
    expect(formatRatio(0.1432)).toBe('0.14x');
    expect(formatRatio(2.345)).toBe('2.3x');
    expect(formatRatio(48.2)).toBe('48x');
    expect(formatRatio(0.0025)).toBe('0.0025x');
  });
});
