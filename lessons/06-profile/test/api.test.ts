import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItemsRepository, createMetrics, type Database, type RunningServer } from '@course/shared';
import { createTestDatabase, listen, requestJson } from '@course/shared/testing';
import { createProfileApp } from '../src/app.ts';
import { maxUsernameLength } from '../src/hot-paths.ts';

let db: Database;
let server: RunningServer;
const metrics = createMetrics();

beforeAll(async () => {
  db = createTestDatabase(500);
  const store = createItemsRepository(db);
  server = await listen(createProfileApp({ store, catalog: store.list({ limit: 500 }), metrics }));
});

afterAll(async () => {
  await server.close();
  metrics.close();
  db.close();
});

const both = async (path: string, init: { method?: string; body?: unknown } = {}) => {
  const [slowRes, fixedRes] = await Promise.all([
    requestJson(`${server.url}/slow${path}`, init),
    requestJson(`${server.url}/fixed${path}`, init),
  ]);
  return { slow: slowRes, fixed: fixedRes };
};

describe('each /fixed endpoint answers exactly what its /slow sibling answers', () => {
  it.each([
    ['POST /keys', '/keys', { method: 'POST', body: { password: 'hunter2', salt: 'salt-0001' } }],
    ['GET /usernames/check (valid)', '/usernames/check?username=ada.lovelace', {}],
    ['GET /usernames/check (near miss)', `/usernames/check?username=${'a'.repeat(maxUsernameLength - 1)}!`, {}],
    ['GET /catalog', '/catalog?category=garden', {}],
    ['GET /price-ranks', '/price-ranks', {}],
  ])('%s', async (_name, path, init) => {
    const { slow, fixed } = await both(path, init);
    expect(slow.status).toBe(200);
    expect(fixed.status).toBe(slow.status);
    expect(fixed.body).toEqual(slow.body);
  });

  it('returns every catalogue item in /price-ranks', async () => {
    const { fixed } = await both('/price-ranks');
    expect(fixed.body.count).toBe(500);
    expect(fixed.body.ranks).toHaveLength(500);
  });
});

describe('input limits', () => {
  it('rejects a username over the cap with 400 before any regex runs, so no request can pin the CPU', async () => {
    // 10 000 characters of the near miss: on the slow regex this would backtrack for ever.
    const hostile = `${'a'.repeat(10_000)}!`;
    const { slow, fixed } = await both(`/usernames/check?username=${hostile}`);

    for (const res of [slow, fixed]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
      expect(res.body.error.details).toEqual([{ field: 'query.username', message: `must be at most ${maxUsernameLength} characters` }]);
    }
  });

  it('answers 400 naming the missing and unknown fields of POST /keys', async () => {
    const { slow, fixed } = await both('/keys', { method: 'POST', body: { password: 'x', extra: 1 } });
    expect(slow.status).toBe(400);
    // Same error apart from the per-request id.
    const { requestId: _a, ...slowError } = slow.body.error;
    const { requestId: _b, ...fixedError } = fixed.body.error;
    expect(fixedError).toEqual(slowError);
    expect(slow.body.error.details.map((d: { field: string }) => d.field)).toEqual(['salt', 'extra']);
  });

  it('names inherited property names (constructor, toString, __proto__) as unknown fields, in the body and the query', async () => {
    // A raw body: an object literal's `__proto__` key would set the prototype, not a field.
    const body = '{"password":"hunter2","salt":"salt-0001","constructor":"x","toString":"y","__proto__":"z"}';
    const { slow, fixed } = await both('/keys', { method: 'POST', body });
    for (const res of [slow, fixed]) {
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual(['constructor', 'toString', '__proto__'].map((field) => ({ field, message: 'unknown field' })));
    }
    const query = await requestJson(`${server.url}/fixed/usernames/check?username=ada&constructor=1&__proto__=2`);
    expect(query.status).toBe(400);
    expect(query.body.error.details.map((d: { field: string }) => d.field)).toEqual(['query.constructor', 'query.__proto__']);
  });

  it('answers 400 for a repeated query parameter instead of failing on an array', async () => {
    const { fixed } = await both('/usernames/check?username=a&username=b');
    expect(fixed.status).toBe(400);
    expect(fixed.body.error.details[0]).toEqual({ field: 'query.username', message: 'must be a string' });
  });

  it('keeps serving the course API beside the endpoints', async () => {
    const res = await requestJson(`${server.url}/items/1`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(1);
  });
});
