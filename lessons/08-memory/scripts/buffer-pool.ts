/**
 * The Buffer pool on this Node, and what a retained slice costs, in numbers.
 *
 *   node --expose-gc --import tsx scripts/buffer-pool.ts
 *
 * Keeps a 16-byte piece of each of 1 000 buffers of 64 KiB (the size of a file-stream chunk):
 * as subarray views, then as copies, and reports process.memoryUsage().arrayBuffers.
 * Bounded: at most ~64 MB.
 */
import { keepPiece, largestPooledSize, placement, sameSlab } from '../src/buffer-pool.ts';

const gc = globalThis.gc;
if (!gc) {
  console.error('buffer-pool: run with node --expose-gc');
  process.exit(2);
}

const show = (label: string, b: Buffer) => {
  const p = placement(b);
  console.log(`  ${label.padEnd(34)} length ${String(p.length).padStart(5)}  byteOffset ${String(p.byteOffset).padStart(5)}  ArrayBuffer ${String(p.backingBytes).padStart(5)} bytes`);
};

console.log(`lesson-08 · Buffer pool · ${new Date().toISOString().slice(0, 10)} · Node ${process.version}`);
console.log(`Buffer.poolSize = ${Buffer.poolSize}; allocUnsafe pools sizes up to ${largestPooledSize()} bytes`);
const a = Buffer.allocUnsafe(100);
const b = Buffer.allocUnsafe(100);
show('Buffer.allocUnsafe(100)', a);
show('Buffer.allocUnsafe(100) again', b);
console.log(`  same slab: ${sameSlab(a, b)}`);
show("Buffer.from('hello')", Buffer.from('hello'));
show('Buffer.alloc(100)', Buffer.alloc(100));
show(`Buffer.allocUnsafe(${Buffer.poolSize / 2})`, Buffer.allocUnsafe(Buffer.poolSize / 2));

/**
 * A full GC, then a pause: V8 frees ArrayBuffer memory on a background thread after the
 * GC, and process.memoryUsage().arrayBuffers only drops once that is done.
 */
async function settle(): Promise<void> {
  gc!();
  await new Promise((r) => setTimeout(r, 300));
  gc!();
}

async function keep(copy: boolean): Promise<number> {
  await settle();
  const before = process.memoryUsage().arrayBuffers;
  const pieces: Buffer[] = [];
  for (let i = 0; i < 1000; i++) pieces.push(keepPiece(Buffer.allocUnsafeSlow(64 * 1024).fill(i), 0, 16, copy));
  await settle();
  const retained = process.memoryUsage().arrayBuffers - before;
  if (pieces.length !== 1000) throw new Error('unreachable');
  return retained;
}
const views = await keep(false);
const copies = await keep(true);
console.log(`\n1 000 pieces of 16 bytes kept from 64 KiB buffers, after a forced GC (process.memoryUsage().arrayBuffers):`);
console.log(`  subarray views          ${(views / 1e6).toFixed(2).padStart(7)} MB   (each view keeps its 64 KiB parent)`);
console.log(`  Buffer.from(view) copies ${(copies / 1e6).toFixed(2).padStart(6)} MB   (16 bytes each, packed into shared pool slabs)`);
