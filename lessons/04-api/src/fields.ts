/**
 * Field selection: `?fields=id,name` returns only those fields of each item.
 *
 * The projection happens after the row is read (the repository is shared and reads whole
 * rows): it saves serialization and bytes on the wire, not database work.
 */
import { z } from 'zod';
import type { Item } from '@course/shared';

/** The fields a client may select, in the order the API shows them. */
export const itemFields = ['id', 'sku', 'name', 'category', 'priceCents', 'tags', 'createdAt', 'updatedAt'] as const;

/** One selectable field. */
export type ItemField = (typeof itemFields)[number];

const known = new Set<string>(itemFields);

/** zod schema of `fields`: a comma-separated list of known fields, each at most once. */
export const fieldsSchema = z.string().transform((raw, ctx) => {
  const names = raw.split(',');
  const seen = new Set<string>();
  for (const name of names) {
    if (!known.has(name)) {
      const what = name === '' ? 'an empty name' : `unknown field "${name.slice(0, 40)}"`;
      ctx.addIssue({ code: 'custom', message: `has ${what}; allowed: ${itemFields.join(', ')}` });
      return z.NEVER;
    }
    if (seen.has(name)) {
      ctx.addIssue({ code: 'custom', message: `names "${name}" twice` });
      return z.NEVER;
    }
    seen.add(name);
  }
  return names as ItemField[];
});

/** The item with only `fields`, in the order they were asked for. */
export function pickFields(item: Item, fields: readonly ItemField[] | undefined): Partial<Item> {
  if (!fields) return item;
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = item[field];
  return out as Partial<Item>;
}
