/**
 * The four slow paths called directly, with no server: a workload Node can run by itself
 * (`node src/profiling/workload.ts`, type stripping) as well as under tsx. Used by
 * strip-vs-tsx.ts. Only erasable TypeScript here and in what it imports (no enums, no
 * parameter properties), and no runtime import of @course/shared, whose errors.ts uses a
 * parameter property that type stripping refuses.
 */
import type { Item } from '@course/shared';
import { slow } from '../slow.ts';

const categories = ['books', 'garden', 'kitchen', 'music', 'office', 'outdoor', 'sports', 'tools', 'toys', 'travel'];
const catalog: Item[] = Array.from({ length: 2000 }, (_, i): Item => ({
  id: i + 1,
  sku: `SKU-${i}`,
  name: `Item ${i}`,
  category: categories[i % categories.length]!,
  priceCents: (i * 7919) % 10_000,
  tags: ['a', 'b'],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
}));

const rounds = Number(process.argv[2] ?? 20);
let checksum = 0;
for (let round = 0; round < rounds; round++) {
  checksum += (await slow.deriveKey('correct horse battery staple', 'salt-1234')).length;
  checksum += slow.isValidUsername(`${'a'.repeat(21)}!`) ? 1 : 0;
  checksum += slow.itemsInCategory(catalog, 'books').length;
  checksum += slow.priceRanks(catalog).length;
}
console.log(`workload done (${rounds} rounds, checksum ${checksum})`);
