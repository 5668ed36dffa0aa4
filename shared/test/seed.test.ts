import { describe, expect, it } from 'vitest';
import { generateItems, seedItems } from '../src/index.ts';
import { createTestDatabase } from '../src/testing.ts';

describe('seed', () => {
  it('generates the same items for the same seed and different ones for another', () => {
    const a = [...generateItems(50, 7)];
    expect([...generateItems(50, 7)]).toEqual(a);
    expect([...generateItems(50, 8)]).not.toEqual(a);
  });

  it('seeds only an empty table: a second seed of a filled table inserts nothing', () => {
    const db = createTestDatabase(20);
    try {
      const count = () => (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
      expect(count()).toBe(20);
      expect(seedItems(db, 50)).toBe(0);
      expect(count()).toBe(20);
      db.exec('DELETE FROM items');
      expect(seedItems(db, 5)).toBe(5);
      expect(count()).toBe(5);
    } finally {
      db.close();
    }
  });
});
