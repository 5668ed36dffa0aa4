import { describe, expect, it } from 'vitest';
import { listQuerySchema, newItemSchema, parseOr400 } from '../src/index.ts';

describe('parseOr400: one issue per unknown field', () => {
  it('names each unknown query parameter with the prefix, not one joined field', () => {
    expect(() => parseOr400(listQuerySchema, { foo: '1', bar: '2' }, 'query')).toThrow(expect.objectContaining({
      status: 400,
      details: [{ field: 'query.foo', message: 'unknown field' }, { field: 'query.bar', message: 'unknown field' }],
    }));
  });

  it('names unknown body fields and bad known ones together', () => {
    expect(() => parseOr400(newItemSchema, { sku: 'A', name: 'n', category: 'c', priceCents: -1, colour: 'red', size: 3 })).toThrow(expect.objectContaining({
      details: expect.arrayContaining([
        { field: 'priceCents', message: 'must be >= 0' },
        { field: 'colour', message: 'unknown field' },
        { field: 'size', message: 'unknown field' },
      ]),
    }));
  });
});
