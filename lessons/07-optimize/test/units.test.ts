import { describe, expect, it } from 'vitest';
import { generateItems } from '@course/shared';
import { csvWithConcat, csvWithJoin, csvWithPlus } from '../src/assemble.ts';
import { boundedMemo, editDistance, suggest } from '../src/memo.ts';

describe('assembling a CSV export', () => {
  it('gives byte-identical output with +=, join and Buffer.concat', () => {
    const items = [...generateItems(300)];
    const plus = csvWithPlus(items);
    expect(plus.toString().split('\n')).toHaveLength(302); // header + 300 rows + trailing ''
    expect(csvWithJoin(items).equals(plus)).toBe(true);
    expect(csvWithConcat(items).equals(plus)).toBe(true);
  });
});

describe('boundedMemo', () => {
  it('calls the function once per distinct argument while it fits', () => {
    let calls = 0;
    const square = boundedMemo((n: number) => { calls++; return n * n; }, 10);
    expect([square(3), square(3), square(4), square(3)]).toEqual([9, 9, 16, 9]);
    expect(calls).toBe(2);
    expect({ hits: square.hits, misses: square.misses, size: square.size }).toEqual({ hits: 2, misses: 2, size: 2 });
  });

  it('never holds more than maxEntries and evicts the least recently used', () => {
    let calls = 0;
    const id = boundedMemo((s: string) => { calls++; return s; }, 3);
    for (const key of ['a', 'b', 'c', 'a', 'd']) id(key); // 'b' is least recently used when 'd' arrives
    expect(id.size).toBe(3);
    const before = calls;
    id('a'); id('c'); id('d');
    expect(calls).toBe(before);
    id('b');
    expect(calls).toBe(before + 1);
    for (let i = 0; i < 1000; i++) id(`k${i}`);
    expect(id.size).toBe(3);
  });

  it('rejects a bound that is not a positive integer', () => {
    expect(() => boundedMemo((n: number) => n, 0)).toThrow(RangeError);
  });
});

describe('suggest', () => {
  it('ranks by edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(suggest('gardn', ['books', 'garden', 'guard'], 2)).toEqual(['garden', 'guard']);
  });
});
