import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { keepPiece, largestPooledSize, placement, sameSlab } from '../src/buffer-pool.ts';
import { factsByMajor } from '../src/node-facts.ts';

// A full GC on demand, inside this test worker, to show what a slice keeps alive.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const major = Number(process.versions.node.split('.')[0]);
// The slab's exact size is a per-version fact (Node 26 adds 64 bytes of alignment slack).
const slabBytes = factsByMajor[major]?.slabBytes ?? Number.NaN;

/** Three small allocUnsafe buffers in a row; at most one pool switch can fall between them. */
function threeSmall(size: number): [Buffer, Buffer, Buffer] {
  return [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
}

describe('the Buffer pool on this Node', () => {
  it('has the pool size and slab size pinned for this Node line', () => {
    expect({ poolSize: Buffer.poolSize, slabBytes: Buffer.allocUnsafe(1).buffer.byteLength })
      .toEqual({ poolSize: factsByMajor[major]?.poolSize, slabBytes });
  });

  it('hands out small allocUnsafe buffers as slices of one shared slab', () => {
    const [a, b, c] = threeSmall(100);
    const pair = sameSlab(a, b) ? [a, b] : [b, c];
    expect(sameSlab(pair[0]!, pair[1]!)).toBe(true);
    expect(pair[0]!.byteOffset).not.toBe(pair[1]!.byteOffset);
    expect(placement(pair[0]!).backingBytes).toBe(slabBytes);
  });

  it('pools Buffer.from(string) for short strings too', () => {
    expect(placement(Buffer.from('hello, pool')).backingBytes).toBe(slabBytes);
  });

  it('never pools Buffer.alloc, allocUnsafeSlow, or sizes from poolSize / 2 up', () => {
    expect(placement(Buffer.alloc(100))).toEqual({ backingBytes: 100, byteOffset: 0, length: 100 });
    expect(placement(Buffer.allocUnsafeSlow(100)).backingBytes).toBe(100);
    const half = Buffer.poolSize / 2;
    expect(placement(Buffer.allocUnsafe(half))).toEqual({ backingBytes: half, byteOffset: 0, length: half });
    expect(placement(Buffer.allocUnsafe(largestPooledSize())).backingBytes).toBe(slabBytes);
  });

  it('a small pooled buffer keeps the whole shared slab reachable, after every other user is gone', async () => {
    // Fill the rest of the current slab, so the next allocations start a fresh one.
    Buffer.allocUnsafe(largestPooledSize());
    Buffer.allocUnsafe(largestPooledSize());
    const { small, slab } = (() => {
      const [first, second] = threeSmall(16);
      // Both are slices of one ArrayBuffer: the slab is shared, not one allocation each.
      expect(sameSlab(first, second)).toBe(true);
      return { small: first, slab: new WeakRef(first.buffer as ArrayBuffer) };
    })();
    // Move the pool on to a new slab, so Node's own pool no longer references this one.
    for (let i = 0; i < 3; i++) Buffer.allocUnsafe(largestPooledSize());
    await nextTurn();
    gc();
    expect(slab.deref()).toBe(small.buffer);
    expect(slab.deref()?.byteLength).toBe(slabBytes);
  });

  it('the slab is freed once its last slice is gone', async () => {
    Buffer.allocUnsafe(largestPooledSize());
    Buffer.allocUnsafe(largestPooledSize());
    const slab = (() => new WeakRef(Buffer.allocUnsafe(16).buffer as ArrayBuffer))();
    for (let i = 0; i < 3; i++) Buffer.allocUnsafe(largestPooledSize());
    await nextTurn();
    gc();
    expect(slab.deref()).toBeUndefined();
  });
});

describe('a slice retains its parent; a copy releases it', () => {
  /** Keeps a 16-byte piece of a 1 MiB buffer; returns the piece and a weak handle on the parent's memory. */
  function pieceOfLargeBuffer(copy: boolean): { piece: Buffer; parentMemory: WeakRef<ArrayBuffer> } {
    const parent = Buffer.alloc(1024 * 1024, 7);
    return { piece: keepPiece(parent, 100, 116, copy), parentMemory: new WeakRef(parent.buffer as ArrayBuffer) };
  }

  it('subarray keeps the 1 MiB parent alive; Buffer.from(subarray) lets it be collected', async () => {
    const view = pieceOfLargeBuffer(false);
    const copy = pieceOfLargeBuffer(true);
    // WeakRef targets stay alive until the current job ends; let it end, then collect.
    await nextTurn();
    gc();
    expect(view.piece.buffer.byteLength).toBe(1024 * 1024);
    expect(view.parentMemory.deref()).toBeDefined();
    expect(copy.parentMemory.deref()).toBeUndefined();
    expect(copy.piece.equals(view.piece)).toBe(true);
    expect(copy.piece.buffer.byteLength).toBeLessThan(1024 * 1024);
  });
});
