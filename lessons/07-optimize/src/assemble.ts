/**
 * Assembling a large response (a CSV export) three ways. The folk wisdom says "use
 * Buffer.concat, strings are slow", or "+= is quadratic, use join"; the bench (README) finds
 * `+=` at least as fast as either: V8 builds `+=` into a rope (a tree of pieces) and flattens
 * it once, in Buffer.from; a Buffer per row pays an allocation and an encode each; and `join`
 * walks each line's own rope (template literals are ropes too) one element at a time
 * (NOTES.md, `npm run explain:csv`). Measure before you "optimise".
 */
import type { SeedItem } from '@course/shared';

/** One CSV row. A template literal: V8 builds it as a rope of its pieces. */
export function csvLine(item: SeedItem): string {
  // Names in the seed hold no commas or quotes; a real export would escape them.
  return `${item.sku},${item.name},${item.category},${item.priceCents},${item.tags.join('|')}\n`;
}

export const header = 'sku,name,category,price_cents,tags\n';

/** `out += line`, then one encode at the end. */
export function csvWithPlus(items: readonly SeedItem[]): Buffer {
  let out = header;
  for (const item of items) out += csvLine(item); // LESSON: a rope, flattened once by Buffer.from
  return Buffer.from(out);
}

/** Lines in an array, `join('')`, one encode. */
export function csvWithJoin(items: readonly SeedItem[]): Buffer {
  const lines = [header];
  for (const item of items) lines.push(csvLine(item));
  return Buffer.from(lines.join(''));
}

/** A Buffer per line, then `Buffer.concat`: one allocation and one encode per line. */
export function csvWithConcat(items: readonly SeedItem[]): Buffer {
  const parts = [Buffer.from(header)];
  let length = parts[0]!.length;
  for (const item of items) {
    const part = Buffer.from(csvLine(item));
    parts.push(part);
    length += part.length;
  }
  return Buffer.concat(parts, length); // passing the length saves a pass over the parts
}
