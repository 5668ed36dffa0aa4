import { afterEach, describe, expect, it } from 'vitest';
import { createItemsRepository, createMetrics, type Metrics, type RunningServer } from '@course/shared';
import { createTestDatabase, listen } from '@course/shared/testing';
import { createCachedStore } from 'lesson-03';
import { createHitStep, hitSteps, parseHitStep } from '../src/hit-steps.ts';

describe('the cache-hit attribution steps', () => {
  let server: RunningServer | undefined;
  let metrics: Metrics | undefined;
  afterEach(async () => {
    await server?.close();
    metrics?.close();
    server = undefined;
    metrics = undefined;
  });

  it('every step answers GET /items/1 with the same JSON body, so the bench compares like with like', async () => {
    const repo = createItemsRepository(createTestDatabase(10));
    const expected = JSON.stringify(repo.get(1));
    for (const step of hitSteps) {
      metrics = createMetrics();
      server = await listen(createHitStep(step, { store: createCachedStore(repo), metrics }));
      for (let i = 0; i < 2; i++) { // a miss, then a hit
        const res = await fetch(`${server.url}/items/1`);
        expect(res.status, step).toBe(200);
        expect(res.headers.get('content-type'), step).toBe('application/json; charset=utf-8');
        expect(await res.text(), step).toBe(expected);
      }
      await server.close();
      metrics.close();
      server = undefined;
      metrics = undefined;
    }
  });

  it('rejects an unknown HIT_STEP naming the valid ones', () => {
    expect(parseHitStep('hot-path')).toBe('hot-path');
    expect(() => parseHitStep('turbo')).toThrow(/HIT_STEP must be one of cache\+stringify/);
  });
});
