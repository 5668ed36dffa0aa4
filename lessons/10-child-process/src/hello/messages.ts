/**
 * The messages of the hello example, typed on both sides: a discriminated union per
 * direction, so `switch (message.type)` narrows and a typo is a compile error.
 */

/** Parent → child. */
export type ToChild =
  | { type: 'hello'; name: string }
  | { type: 'add'; id: number; a: number; b: number };

/** Child → parent. */
export type ToParent =
  | { type: 'ready'; pid: number }
  | { type: 'greeting'; text: string; pid: number }
  | { type: 'sum'; id: number; value: number };
