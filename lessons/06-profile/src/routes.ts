/**
 * The four endpoints, written once and mounted twice: at /slow with `slow`, at /fixed with
 * `fixed`. Validation and caps are the same for both; only the hot paths differ.
 */
import { Router } from 'express';
import type { Item } from '@course/shared';
import { maxUsernameLength, type HotPaths } from './hot-paths.ts';
import { readStrings } from './validate.ts';

const keyRules = { password: { min: 1, max: 128 }, salt: { min: 8, max: 64 } };
// LESSON: the length cap runs before any regex: it bounds the worst case of even the slow one.
const usernameRules = { username: { min: 1, max: maxUsernameLength } };
const categoryRules = { category: { min: 1, max: 50 } };

/**
 * `POST /keys` {password, salt} → {key}; `GET /usernames/check?username=` → {username, valid};
 * `GET /catalog?category=` → {items}; `GET /price-ranks` → {count, ranks}.
 */
export function createHotPathsRouter(paths: HotPaths, catalog: readonly Item[]): Router {
  const router = Router();

  router.post('/keys', async (req, res) => {
    const { password, salt } = readStrings(req.body, keyRules);
    res.json({ key: await paths.deriveKey(password, salt) });
  });

  router.get('/usernames/check', (req, res) => {
    const { username } = readStrings(req.query, usernameRules, 'query');
    res.json({ username, valid: paths.isValidUsername(username) });
  });

  router.get('/catalog', (req, res) => {
    const { category } = readStrings(req.query, categoryRules, 'query');
    res.json({ items: paths.itemsInCategory(catalog, category) });
  });

  router.get('/price-ranks', (_req, res) => {
    const ranks = paths.priceRanks(catalog);
    res.json({ count: ranks.length, ranks });
  });

  return router;
}
