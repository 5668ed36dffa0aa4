/**
 * Facts about Node's Buffer pool, read from the running Node rather than written down, so
 * the lesson stays true when Node changes them (Node 20: 8 KiB; later versions: 64 KiB).
 *
 * `Buffer.allocUnsafe(n)` (and `Buffer.from(string|array)`) for n < poolSize / 2 hand out a
 * slice of one shared, pre-allocated ArrayBuffer (the slab), which saves an allocation per
 * small buffer. `Buffer.alloc(n)` (zero-filled) and large sizes get their own ArrayBuffer.
 */

/** Where a Buffer's bytes live. */
export interface Placement {
  /** Size of the ArrayBuffer behind it: poolSize when pooled. */
  backingBytes: number;
  byteOffset: number;
  length: number;
}

/** How a Buffer sits in its ArrayBuffer. */
export function placement(buffer: Buffer): Placement {
  return { backingBytes: buffer.buffer.byteLength, byteOffset: buffer.byteOffset, length: buffer.length };
}

/** True when `a` and `b` are slices of the same ArrayBuffer (the same slab). */
export function sameSlab(a: Buffer, b: Buffer): boolean {
  return a.buffer === b.buffer;
}

/** The largest size `allocUnsafe` still takes from the pool on this Node. */
export function largestPooledSize(): number {
  return (Buffer.poolSize >>> 1) - 1;
}

/**
 * Keeps a small piece of a large buffer. `subarray` shares memory (the whole parent stays
 * alive as long as the piece does); a copy does not.
 */
export function keepPiece(parent: Buffer, start: number, end: number, copy: boolean): Buffer {
  const view = parent.subarray(start, end);
  // LESSON: the view retains all of `parent`; Buffer.from(view) copies only these bytes
  return copy ? Buffer.from(view) : view;
}
