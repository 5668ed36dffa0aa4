/**
 * The busy guard in isolation: SQLITE_BUSY is retried with timers (the event loop runs between
 * attempts), other errors pass through at once, and past the budget the answer is a 503.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, type ItemsRepository } from '@course/shared';
import { withBusyAs503 } from '../src/busy-as-503.ts';

const busy = (): never => { throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }); };

/** A repository whose `delete` fails with SQLITE_BUSY `times` times, then succeeds. */
function lockedFor(times: number): { repo: ItemsRepository; calls: () => number } {
  let calls = 0;
  const repo = { delete: () => { calls++; return calls > times ? true : busy(); } } as unknown as ItemsRepository;
  return { repo, calls: () => calls };
}

describe('withBusyAs503', () => {
  it('retries SQLITE_BUSY after timers, letting other callbacks run in between, then returns the result', async () => {
    const { repo, calls } = lockedFor(3);
    const guarded = withBusyAs503(repo, { budgetMs: 60_000 });
    let ticks = 0;
    const ticker = setInterval(() => { ticks++; }, 0);
    const deleted = guarded.delete(1);
    expect(guarded.stats().waiting).toBe(1); // the first attempt failed; the wait is a timer
    const result = await deleted;
    clearInterval(ticker);
    expect(result).toBe(true);
    expect(calls()).toBe(4);
    expect(ticks).toBeGreaterThan(0);
    expect(guarded.stats()).toEqual({ waiting: 0, retries: 3, exhausted: 0 });
  });

  it('answers 503 UNAVAILABLE once the budget is spent', async () => {
    const { repo } = lockedFor(Number.POSITIVE_INFINITY);
    const guarded = withBusyAs503(repo, { budgetMs: 30 });
    const error = await guarded.delete(1).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    expect(guarded.stats()).toMatchObject({ waiting: 0, exhausted: 1 });
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const repo = { delete: () => { calls++; throw new Error('disk I/O error'); } } as unknown as ItemsRepository;
    await expect(withBusyAs503(repo).delete(1)).rejects.toThrow('disk I/O error');
    expect(calls).toBe(1);
  });
});
