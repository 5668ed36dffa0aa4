/**
 * The numeric hot function of the addon part, in JavaScript: the length of a polyline given
 * as a flat Float64Array `[x0, y0, x1, y1, ...]`. native/path-length.cc is the same code in
 * C++ (same order of additions), so both give bit-identical results.
 */

/** Length of one segment. */
export function segmentLength(x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  return Math.sqrt(dx * dx + dy * dy);
}

/**
 * Sum of the segment lengths of a polyline.
 * @throws TypeError when `coords` is not a Float64Array; RangeError for an odd length
 */
export function pathLength(coords: Float64Array): number {
  if (!(coords instanceof Float64Array)) throw new TypeError('coords must be a Float64Array');
  if (coords.length % 2 !== 0) throw new RangeError('coords must hold x,y pairs (even length)');
  let total = 0;
  // LESSON: a monomorphic loop over a typed array; V8's optimizing compiler turns this into
  // machine code close to what g++ -O3 emits for the C++ version, because g++ leaves that loop
  // scalar too: std::sqrt may set errno, a branch that blocks vectorisation (with
  // -fno-math-errno g++ computes the square roots in SIMD lanes and still sums in order).
  // Where a C++ compiler does use SIMD, native code can pull ahead, since V8 does not
  // auto-vectorise; this course does not measure such a loop (the README's exercise 5 does).
  for (let i = 2; i + 1 < coords.length; i += 2) {
    total += segmentLength(coords[i - 2]!, coords[i - 1]!, coords[i]!, coords[i + 1]!);
  }
  return total;
}

/** A random walk of `points` points (deterministic for a seed), as input for tests and benches. */
export function randomPath(points: number, seed = 1): Float64Array {
  let state = seed >>> 0;
  const random = (): number => {
    // xorshift32: enough randomness for coordinates, the same on every machine.
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 4294967296;
  };
  const coords = new Float64Array(points * 2);
  let x = 0;
  let y = 0;
  for (let i = 0; i < coords.length; i += 2) {
    x += random() - 0.5;
    y += random() - 0.5;
    coords[i] = x;
    coords[i + 1] = y;
  }
  return coords;
}
