/**
 * The CPU-heavy work this lesson moves off the main thread: an image-like convolution.
 *
 * A greyscale image of `size`×`size` pixels is generated from a seed (so a request stays
 * small and the result is reproducible), then a 3×3 kernel is applied `passes` times.
 * Cost grows as size² × 9 × passes, all plain JavaScript: nothing here yields to the loop.
 */

/**
 * mulberry32, the generator behind the shared seedItems. Not imported from @course/shared on
 * purpose: this file runs in every worker thread, and the shared index would load Express
 * and better-sqlite3 into each of them (a thread's start-up cost includes its module graph).
 */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** What one crunch request asks for. */
export interface CrunchInput {
  /** Width and height in pixels. */
  size: number;
  /** How many times the kernel is applied. */
  passes: number;
  /** Seed of the generated image. */
  seed: number;
  /** 3×3 kernel, row by row; normalised by its sum. */
  kernel: number[];
}

/** What a crunch returns: enough to check two runs computed the same image. */
export interface CrunchResult {
  size: number;
  passes: number;
  /** Sum of all pixels quantised to 0..255, modulo 2^32. */
  checksum: number;
  /** Mean pixel value, 0..1. */
  mean: number;
  /** Thread that did the work: 0 is the main thread. */
  threadId: number;
}

/** A 3×3 box blur. */
export const boxBlur: readonly number[] = [1, 1, 1, 1, 1, 1, 1, 1, 1];

/**
 * Error for input only the computation can reject. Errors cross `postMessage` by structured
 * clone, which keeps `message` and `cause` but not subclasses or own properties, so the
 * field travels in `cause`.
 */
export function inputError(field: string, message: string): Error {
  return new Error(message, { cause: { kind: 'input', field } });
}

/** Reads the field of an {@link inputError}, also after it crossed a thread boundary. */
export function inputErrorField(error: unknown): string | undefined {
  const cause = (error as { cause?: { kind?: unknown; field?: unknown } } | null)?.cause;
  return cause?.kind === 'input' && typeof cause.field === 'string' ? cause.field : undefined;
}

/** Runs the convolution synchronously on the calling thread. */
export function crunch(input: CrunchInput, threadId = 0): CrunchResult {
  const { size, passes, seed, kernel } = input;
  const weight = kernel.reduce((sum, k) => sum + k, 0);
  // Only the task knows the kernel must be normalisable; in a worker this throw comes back
  // to the main thread as a rejected task, and the API answers 400, not 500.
  if (weight === 0) throw inputError('kernel', 'kernel weights sum to 0, so the image cannot be normalised');
  const k = kernel.map((v) => v / weight);
  const random = createRandom(seed);
  let src = new Float64Array(size * size);
  for (let i = 0; i < src.length; i++) src[i] = random();
  let dst = new Float64Array(size * size);
  const last = size - 1;
  for (let pass = 0; pass < passes; pass++) {
    for (let y = 0; y < size; y++) {
      const up = (y === 0 ? 0 : y - 1) * size;
      const row = y * size;
      const down = (y === last ? last : y + 1) * size;
      for (let x = 0; x < size; x++) {
        const left = x === 0 ? 0 : x - 1;
        const right = x === last ? last : x + 1;
        dst[row + x] =
          k[0]! * src[up + left]! + k[1]! * src[up + x]! + k[2]! * src[up + right]! +
          k[3]! * src[row + left]! + k[4]! * src[row + x]! + k[5]! * src[row + right]! +
          k[6]! * src[down + left]! + k[7]! * src[down + x]! + k[8]! * src[down + right]!;
      }
    }
    [src, dst] = [dst, src];
  }
  let checksum = 0;
  let sum = 0;
  for (let i = 0; i < src.length; i++) {
    const v = Math.min(1, Math.max(0, src[i]!));
    sum += v;
    checksum = (checksum + Math.round(v * 255)) >>> 0;
  }
  return { size, passes, checksum, mean: Math.round((sum / src.length) * 1e6) / 1e6, threadId };
}
