import { describe, expect, it } from 'vitest';
import { ApiError, hotItemId, idSchema, parseId } from '../src/index.ts';

const valid = ['1', '7', '10', '999', '123456789012345'];
const invalid = ['', '0', '01', '-1', '+1', '1.0', '1e3', ' 1', '1 ', '1a', 'abc', '1234567890123456', '٣'];

describe('parseId', () => {
  it('accepts exactly what the id schema accepts, with the same number', () => {
    for (const raw of valid) {
      expect(parseId(raw), raw).toBe(idSchema.parse(raw));
      // The hot path's own parser agrees, on the URL it sees.
      expect(hotItemId(`/items/${raw}`), raw).toBe(parseId(raw));
    }
  });

  it('answers anything else with a 400 naming id, worded by the schema', () => {
    for (const raw of [...invalid, undefined, 5]) {
      expect(idSchema.safeParse(raw).success, String(raw)).toBe(false);
      let thrown: unknown;
      try { parseId(raw); } catch (error) { thrown = error; }
      expect(thrown, String(raw)).toBeInstanceOf(ApiError);
      expect((thrown as ApiError).status).toBe(400);
      expect((thrown as ApiError).details?.[0]?.field).toBe('id');
      if (typeof raw === 'string') expect(hotItemId(`/items/${raw}`), raw).toBe(0);
    }
  });
});
