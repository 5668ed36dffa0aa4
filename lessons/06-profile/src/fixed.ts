/**
 * The same four operations, each fixed where the profile pointed. Same inputs, same outputs
 * (test/fixed-equals-slow.test.ts holds them to it).
 */
import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import type { Item } from '@course/shared';
import { keyLength, pbkdf2Iterations, type HotPaths, type PriceRank } from './hot-paths.ts';

const pbkdf2Async = promisify(pbkdf2);

// LESSON: one way to match each character: a separator must be followed by letters again (or end
// the name), so a near-miss fails after one pass instead of 2^n.
const usernamePattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*[._-]?$/i;

/** Index of the first price >= `price` in an ascending array: the count of cheaper prices. */
function countBelow(sortedPrices: readonly number[], price: number): number {
  let low = 0;
  let high = sortedPrices.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sortedPrices[mid]! < price) low = mid + 1;
    else high = mid;
  }
  return low;
}

export const fixed: HotPaths = {
  async deriveKey(password, salt) {
    // The same CPU work, on libuv's thread pool: the event loop keeps serving meanwhile.
    const key = await pbkdf2Async(password, salt, pbkdf2Iterations, keyLength, 'sha256');
    return key.toString('hex');
  },

  isValidUsername(username) {
    return usernamePattern.test(username);
  },

  itemsInCategory(catalog, category) {
    // Filter first, then copy only what is returned (tags is the one nested array).
    return catalog.filter((item) => item.category === category).map((item): Item => ({ ...item, tags: [...item.tags] }));
  },

  priceRanks(catalog) {
    // One pass to group prices by category, one sort per category, one binary search per item.
    const prices = new Map<string, number[]>();
    for (const item of catalog) {
      const list = prices.get(item.category);
      if (list) list.push(item.priceCents);
      else prices.set(item.category, [item.priceCents]);
    }
    for (const list of prices.values()) list.sort((a, b) => a - b);
    return catalog.map((item): PriceRank => ({ id: item.id, cheaperInCategory: countBelow(prices.get(item.category)!, item.priceCents) }));
  },
};
