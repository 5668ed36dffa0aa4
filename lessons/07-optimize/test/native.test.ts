import { describe, expect, it } from 'vitest';
import { loadNative } from '../src/native.ts';
import { pathLength, randomPath, segmentLength } from '../src/path-length.ts';

// No skip when the addon is missing: loadNative throws AddonNotBuiltError, whose message says
// how to build it, and these tests fail with it. CI builds the addon in `pnpm install`.
const native = loadNative();

/** `ArrayBuffer.prototype.transfer` (ES2024; Node 22 and later, see the README's table). */
type Transferable = ArrayBuffer & { transfer?: () => ArrayBuffer };

/** Ways JS can take an ArrayBuffer's memory away from its views. */
const detachers: ((buffer: ArrayBuffer) => ArrayBuffer)[] = [
  (buffer) => structuredClone(buffer, { transfer: [buffer] }),
  ...(typeof (ArrayBuffer.prototype as Transferable).transfer === 'function' ? [(buffer: ArrayBuffer) => (buffer as Transferable).transfer!()] : []),
];

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

  it('pathLengthAsync keeps its answer when JS detaches the buffer and overwrites its memory mid-call', async () => {
    // The worker runs on a pool thread. Meanwhile the caller moves the ArrayBuffer away (its
    // backing store now belongs to another buffer) and fills it with NaN: an addon that kept a
    // raw pointer into it would read NaN, or freed memory once the new owner is collected.
    for (const detach of detachers) {
      const coords = randomPath(2_000_000, 9);
      const expected = pathLength(coords);
      const pending = native.pathLengthAsync(coords);
      const moved = new Float64Array(detach(coords.buffer as ArrayBuffer));
      expect(coords.length).toBe(0); // detached: the caller's view is empty now
      moved.fill(Number.NaN);
      await expect(pending).resolves.toBe(expected);
    }
  });

  it('pathLengthAsyncTransfer takes the buffer: the caller\'s view is detached at once, and the answer is the same', async () => {
    const source = randomPath(100_000, 4);
    const expected = pathLength(source);
    const coords = new Float64Array(source); // one the caller is done with
    const pending = native.pathLengthAsyncTransfer(coords);
    expect(coords.length).toBe(0);
    expect(coords.buffer.byteLength).toBe(0); // the memory moved with the buffer: nothing left here
    await expect(pending).resolves.toBe(expected);
    // A view into the middle of a buffer: the whole buffer moves, the offset is kept.
    const wide = new Float64Array(source.length + 4);
    wide.set(source, 2);
    await expect(native.pathLengthAsyncTransfer(wide.subarray(2, 2 + source.length))).resolves.toBe(expected);
    // Bad input fails before anything moves.
    const odd = new Float64Array(3);
    expect(() => native.pathLengthAsyncTransfer(odd)).toThrow(RangeError);
    expect(odd.length).toBe(3);
    expect(() => native.pathLengthAsyncTransfer(new Float64Array(new SharedArrayBuffer(32)))).toThrow(TypeError);
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
