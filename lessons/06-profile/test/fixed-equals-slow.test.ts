import { describe, expect, it } from 'vitest';
import { createItemsRepository, type Item } from '@course/shared';
import { createTestDatabase } from '@course/shared/testing';
import { fixed } from '../src/fixed.ts';
import { maxUsernameLength } from '../src/hot-paths.ts';
import { slow } from '../src/slow.ts';

function catalogOf(count: number): Item[] {
  const db = createTestDatabase(count);
  const items = createItemsRepository(db).list({ limit: count });
  db.close();
  return items;
}

/** Every string over `alphabet` up to `maxLength` characters. */
function* allStrings(alphabet: string[], maxLength: number): Generator<string> {
  let level = [''];
  for (let length = 1; length <= maxLength; length++) {
    level = level.flatMap((prefix) => alphabet.map((c) => prefix + c));
    yield* level;
  }
}

describe('fixed returns exactly what slow returns', () => {
  it('derives the same key (async pbkdf2 on the thread pool vs pbkdf2Sync)', async () => {
    for (const [password, salt] of [['hunter2', 'salt-0001'], ['correct horse battery staple', 'another-salt'], ['ü€😀', 'unicode-salt']] as const) {
      expect(await fixed.deriveKey(password, salt)).toBe(await slow.deriveKey(password, salt));
    }
  });

  it('accepts and rejects the same usernames, for every string of up to 5 characters over a tricky alphabet', () => {
    let checked = 0;
    let valid = 0;
    for (const name of allStrings(['a', 'Z', '7', '.', '_', '-', '!', ' '], 5)) {
      const expected = slow.isValidUsername(name);
      if (fixed.isValidUsername(name) !== expected) throw new Error(`differs on ${JSON.stringify(name)}: slow says ${expected}`);
      checked++;
      if (expected) valid++;
    }
    expect(checked).toBe(37_448);
    // Both outcomes were exercised, not only "false".
    expect(valid).toBeGreaterThan(1000);
  });

  it('agrees on realistic names and on the near miss at the length cap (the slow regex\'s worst case)', () => {
    const nearMiss = `${'a'.repeat(maxUsernameLength - 1)}!`;
    for (const name of ['ada', 'ada.lovelace', 'ada_l-99', 'ada.', '.ada', 'ada..l', 'ada l', nearMiss]) {
      expect(fixed.isValidUsername(name), name).toBe(slow.isValidUsername(name));
    }
    expect(fixed.isValidUsername(nearMiss)).toBe(false);
  });

  it('returns equal copies of one category, which the caller may mutate without touching the catalogue', () => {
    const catalog = catalogOf(300);
    const before = JSON.stringify(catalog);

    const fromFixed = fixed.itemsInCategory(catalog, 'books');
    expect(fromFixed).toEqual(slow.itemsInCategory(catalog, 'books'));
    expect(fromFixed.length).toBeGreaterThan(0);
    fromFixed[0]!.tags.push('mutated');
    fromFixed[0]!.name = 'mutated';

    expect(JSON.stringify(catalog)).toBe(before);
  });

  it('ranks prices the same way, ties included', () => {
    const catalog = catalogOf(400);
    // Force ties: equal prices inside one category must count as "not cheaper".
    const withTies = [...catalog, ...catalog.slice(0, 20).map((item, i) => ({ ...item, id: 10_000 + i }))];

    const ranks = fixed.priceRanks(withTies);

    expect(ranks).toEqual(slow.priceRanks(withTies));
    expect(ranks.find((r) => r.id === 10_000)!.cheaperInCategory).toBe(ranks.find((r) => r.id === withTies[0]!.id)!.cheaperInCategory);
  });
});
