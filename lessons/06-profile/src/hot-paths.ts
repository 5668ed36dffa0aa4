/**
 * The four operations this lesson's server performs, as an interface: `slow.ts` and
 * `fixed.ts` implement it, and the routes do not know which one they call.
 */
import type { Item } from '@course/shared';

/** A catalogue entry's price rank: how many items of its category are cheaper. */
export interface PriceRank {
  id: number;
  cheaperInCategory: number;
}

/** What both siblings implement, with the same results for the same inputs. */
export interface HotPaths {
  /** PBKDF2-SHA256 of `password` with `salt`, hex. */
  deriveKey(password: string, salt: string): Promise<string>;
  /** Letters and digits, single `.`, `_` or `-` between them (one may end the name). */
  isValidUsername(username: string): boolean;
  /** A copy of the catalogue's items in `category`, safe for the caller to mutate. */
  itemsInCategory(catalog: readonly Item[], category: string): Item[];
  /** For every item, in catalogue order, how many items of its category cost less. */
  priceRanks(catalog: readonly Item[]): PriceRank[];
}

/** Key derivation cost. Real password storage wants far more (OWASP: 600 000 for SHA-256). */
export const pbkdf2Iterations = 30_000;
export const keyLength = 32;

/** Longest username accepted; checked before any regex runs. */
export const maxUsernameLength = 24;
