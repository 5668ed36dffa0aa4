import { describe, expect, it } from 'vitest';
import { defaultBenchOptions, formatRatio, parseBenchArgs, UsageError } from '../src/bench/index.ts';

describe('bench flags', () => {
  it('uses the defaults, and --short shortens everything not given explicitly', () => {
    expect(parseBenchArgs([]).options).toEqual(defaultBenchOptions);
    expect(parseBenchArgs(['--short', '--connections', '10']).options).toMatchObject({ short: true, duration: 1, rounds: 1, connections: 10 });
    expect(parseBenchArgs(['--short', '--duration', '3']).options.duration).toBe(3);
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
  });
});
