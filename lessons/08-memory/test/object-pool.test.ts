import { describe, expect, it } from 'vitest';
import { createObjectPool } from '../src/object-pool.ts';

describe('createObjectPool', () => {
  it('reuses a released object, reset, instead of creating a new one', () => {
    const pool = createObjectPool({ create: () => ({ n: 0 }), reset: (o) => { o.n = 0; }, max: 4 });
    const a = pool.acquire();
    a.n = 42;
    pool.release(a);
    const b = pool.acquire();
    expect(b).toBe(a);
    expect(b.n).toBe(0);
    expect(pool.created).toBe(1);
  });

  it('keeps at most max idle objects after a burst', () => {
    const pool = createObjectPool({ create: () => Buffer.alloc(16), reset: (b) => b.fill(0), max: 3 });
    const burst = Array.from({ length: 10 }, () => pool.acquire());
    for (const b of burst) pool.release(b);
    expect(pool.created).toBe(10);
    expect(pool.idle).toBe(3);
  });

  it("hands the next user the last user's bytes when reset does not clear them", () => {
    // The bench's scratch-buffer pool: allocUnsafe buffers, reset does nothing. Safe only while
    // a buffer never escapes the op that acquired it (never sent, stored or returned).
    const pool = createObjectPool({ create: () => Buffer.allocUnsafe(32), reset: () => undefined, max: 1 });
    const first = pool.acquire();
    first.write('token=secret-of-request-1');
    pool.release(first);
    const second = pool.acquire();
    second.write('id=2');
    expect(second.toString('latin1', 0, 25)).toBe('id=2n=secret-of-request-1');
  });

  it('refuses an object released twice, so two users never get the same object', () => {
    const pool = createObjectPool({ create: () => ({ owner: '' }), reset: (o) => { o.owner = ''; }, max: 4 });
    const a = pool.acquire();
    pool.release(a);
    expect(() => pool.release(a)).toThrow(/released twice/);
    expect(pool.idle).toBe(1);
    const first = pool.acquire();
    const second = pool.acquire();
    expect(second).not.toBe(first);
  });

  it('refuses an object it never lent', () => {
    const pool = createObjectPool({ create: () => ({ n: 0 }), reset: () => undefined, max: 4 });
    expect(() => pool.release({ n: 0 })).toThrow(/not out of this pool/);
    expect(pool.idle).toBe(0);
  });

  it('rejects a max that is not a positive integer', () => {
    expect(() => createObjectPool({ create: () => 1, reset: () => undefined, max: 0 })).toThrow(RangeError);
  });
});
