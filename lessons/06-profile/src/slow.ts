/**
 * The slow paths: code that passes review and passes tests, and costs CPU on every request.
 * Nothing here looks wrong until a profile points at it.
 */
import { pbkdf2Sync } from 'node:crypto';
import type { Item } from '@course/shared';
import { keyLength, pbkdf2Iterations, type HotPaths, type PriceRank } from './hot-paths.ts';

// LESSON: nested quantifiers, `(x+y?)+`: on a near-miss ("aaaa…!") the engine tries every way to
// split the letters between the inner and outer `+` before failing: 2^n paths.
const usernamePattern = /^([a-z0-9]+[._-]?)+$/i;

export const slow: HotPaths = {
  async deriveKey(password, salt) {
    // LESSON: synchronous: the event loop serves nobody else for the whole derivation.
    return pbkdf2Sync(password, salt, pbkdf2Iterations, keyLength, 'sha256').toString('hex');
  },

  isValidUsername(username) {
    return usernamePattern.test(username);
  },

  itemsInCategory(catalog, category) {
    // LESSON: a defensive deep copy of the whole catalogue, to hand back a tenth of it.
    const copy = JSON.parse(JSON.stringify(catalog)) as Item[];
    return copy.filter((item) => item.category === category);
  },

  priceRanks(catalog) {
    // LESSON: a filter inside a map: every item scans every item, n² comparisons.
    return catalog.map((item): PriceRank => ({
      id: item.id,
      cheaperInCategory: catalog.filter((other) => other.category === item.category && other.priceCents < item.priceCents).length,
    }));
  },
};
