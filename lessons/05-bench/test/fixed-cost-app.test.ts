import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '@course/shared';
import { listen, requestJson } from '@course/shared/testing';
import { fixedCostHandler, maxSpinUs } from '../src/open-loop/fixed-cost-app.ts';

const servers: RunningServer[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

describe('the sweep\'s fixed-cost server', () => {
  it('holds the event loop for the time asked, answers ok, and refuses bad input in the course\'s error shape', async () => {
    const server = await listen(fixedCostHandler);
    servers.push(server);
    const started = performance.now();
    const ok = await fetch(`${server.url}/spin?us=20000`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('ok\n');
    // 20 ms of busy work cannot be answered sooner.
    expect(performance.now() - started).toBeGreaterThanOrEqual(20);

    for (const us of ['0', String(maxSpinUs + 1), '1.5', 'abc', '']) {
      const bad = await requestJson(`${server.url}/spin?us=${us}`);
      expect(bad.status, `us=${us}`).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'query.us' }] });
    }
    const missing = await requestJson(`${server.url}/items/1`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    // Still serving after the refusals.
    expect((await fetch(`${server.url}/spin?us=1`)).status).toBe(200);
  });
});
