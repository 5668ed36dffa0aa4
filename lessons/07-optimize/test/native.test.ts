import { describe, expect, it } from 'vitest';
import { loadNative } from '../src/native.ts';
import { pathLength, randomPath, segmentLength } from '../src/path-length.ts';

// No skip when the addon is missing: loadNative throws AddonNotBuiltError, whose message says
// how to build it, and these tests fail with it. CI builds the addon in `pnpm install`.
const native = loadNative();

describe('C++ addon and JS give the same answers', () => {
  it('segmentLength agrees on a 3-4-5 triangle and on random segments', () => {
    expect(native.segmentLength(0, 0, 3, 4)).toBe(5);
    const c = randomPath(1000, 7);
    for (let i = 0; i + 3 < c.length; i += 2) {
      expect(native.segmentLength(c[i]!, c[i + 1]!, c[i + 2]!, c[i + 3]!)).toBe(segmentLength(c[i]!, c[i + 1]!, c[i + 2]!, c[i + 3]!));
    }
  });

  it('pathLength is bit-identical to the JS version on a 100k-point path', () => {
    const coords = randomPath(100_000, 3);
    const js = pathLength(coords);
    expect(js).toBeGreaterThan(0);
    expect(Object.is(native.pathLength(coords), js)).toBe(true);
  });

  it('pathLengthAsync resolves to the same value as the synchronous call', async () => {
    const coords = randomPath(50_000, 5);
    await expect(native.pathLengthAsync(coords)).resolves.toBe(pathLength(coords));
  });

  it('returns 0 for an empty array and for a single point', async () => {
    expect(native.pathLength(new Float64Array(0))).toBe(0);
    expect(native.pathLength(new Float64Array([1, 2]))).toBe(0);
    await expect(native.pathLengthAsync(new Float64Array(0))).resolves.toBe(0);
    expect(pathLength(new Float64Array(0))).toBe(0);
  });

  it('propagates NaN the way JS does', () => {
    const coords = new Float64Array([0, 0, Number.NaN, 1, 2, 2]);
    expect(native.pathLength(coords)).toBeNaN();
    expect(pathLength(coords)).toBeNaN();
    expect(native.segmentLength(Number.NaN, 0, 0, 0)).toBeNaN();
  });

  it('throws a TypeError, not a crash, for the wrong argument type', async () => {
    const bad: unknown[] = [undefined, null, 42, 'coords', [0, 0, 1, 1], new Float32Array(4), new Uint8Array(8)];
    for (const value of bad) {
      expect(() => native.pathLength(value as Float64Array)).toThrow(TypeError);
      expect(() => pathLength(value as Float64Array)).toThrow(TypeError);
      expect(() => native.pathLengthAsync(value as Float64Array)).toThrow(TypeError);
    }
    expect(() => (native.segmentLength as (...a: unknown[]) => number)(1, 2, 'x', 4)).toThrow(TypeError);
    expect(() => (native.segmentLength as (...a: unknown[]) => number)(1, 2)).toThrow(TypeError);
    // The process survived all of that and the addon still works.
    expect(native.segmentLength(0, 0, 0, 2)).toBe(2);
  });

  it('throws a RangeError for an odd number of coordinates, in both', () => {
    const odd = new Float64Array(3);
    expect(() => native.pathLength(odd)).toThrow(RangeError);
    expect(() => pathLength(odd)).toThrow(RangeError);
  });
});
