/**
 * Space for time: remember the results of a pure function, within a fixed number of entries.
 *
 * Built by hand to show the mechanism (a Map keeps insertion order, so re-inserting on a hit
 * and evicting the first key is a least-recently-used policy). In a service, use lru-cache
 * (lesson 03): it adds size-based limits, TTLs and no per-hit re-insertion.
 */

/** A memoized function and its memo's statistics. */
export interface Memoized<A extends string | number, R> {
  (arg: A): R;
  readonly size: number;
  readonly hits: number;
  readonly misses: number;
  clear(): void;
}

/**
 * Memoizes a one-argument pure function; at most `maxEntries` results are kept (LRU).
 * @throws RangeError when maxEntries is not a positive integer
 */
export function boundedMemo<A extends string | number, R>(fn: (arg: A) => R, maxEntries: number): Memoized<A, R> {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  const memo = new Map<A, R>();
  let hits = 0;
  let misses = 0;
  const memoized = ((arg: A): R => {
    if (memo.has(arg)) {
      hits++;
      const value = memo.get(arg)!;
      memo.delete(arg); // move to the most-recently-used end
      memo.set(arg, value);
      return value;
    }
    misses++;
    const value = fn(arg);
    memo.set(arg, value);
    // LESSON: the bound; without it the memo is a memory leak keyed by user input (lesson 08)
    if (memo.size > maxEntries) memo.delete(memo.keys().next().value!);
    return value;
  }) as Memoized<A, R>;
  Object.defineProperties(memoized, {
    size: { get: () => memo.size },
    hits: { get: () => hits },
    misses: { get: () => misses },
  });
  memoized.clear = () => { memo.clear(); hits = 0; misses = 0; };
  return memoized;
}

/** Levenshtein distance: O(a·b) time, one row of memory. Pure. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * "Did you mean …?": the vocabulary words closest to `query`, best first (ties alphabetical).
 * Pure for a fixed vocabulary, and the expensive function this lesson memoizes.
 */
export function suggest(query: string, vocabulary: readonly string[], limit = 3): string[] {
  const q = query.toLowerCase();
  return vocabulary
    .map((word) => ({ word, distance: editDistance(q, word) }))
    .sort((x, y) => x.distance - y.distance || x.word.localeCompare(y.word))
    .slice(0, limit)
    .map((s) => s.word);
}
