/**
 * The messages of the hello example, typed on both sides: a discriminated union per
 * direction, so `switch (message.type)` narrows and a typo is a compile error. Every question
 * carries an id and its answer repeats it: with several questions in flight, that is the only
 * way to tell which answer is whose.
 */

/** Parent → child. */
export type ToChild =
  | { type: 'hello'; id: number; name: string }
  | { type: 'add'; id: number; a: number; b: number };

/** Child → parent. */
export type ToParent =
  | { type: 'ready'; pid: number }
  | { type: 'greeting'; id: number; text: string; pid: number }
  | { type: 'sum'; id: number; value: number };
