/**
 * The opaque cursor of keyset pagination: where the previous page ended.
 *
 * It is base64url of `{"after":<last id>}`. Opaque is a contract, not a secret: clients must
 * pass back what they were given and not build their own, so the server may change what a
 * cursor holds (a sort key, a filter hash) without breaking anyone. A cursor a client forges
 * only moves it through data it may read anyway; one that does not decode is a 400.
 */
import { z } from 'zod';

const payloadSchema = z.strictObject({ after: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });

/** The cursor pointing after the item with id `lastId`. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

/** Decodes a cursor; `undefined` when it is not one this server issued. */
export function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  // Node's base64 decoder skips stray trailing characters and accepts other spellings of the
  // same JSON; only the exact string this server issues for that id is a cursor.
  return encodeCursor(parsed.data.after) === cursor ? parsed.data.after : undefined;
}

/** zod schema of the `cursor` query parameter: a valid cursor becomes the id to start after. */
export const cursorSchema = z.string().transform((raw, ctx) => {
  const after = decodeCursor(raw);
  if (after === undefined) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API issued (pass back nextCursor unchanged)' });
    return z.NEVER;
  }
  return after;
});
