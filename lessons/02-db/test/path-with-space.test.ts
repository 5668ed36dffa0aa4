/**
 * A checkout whose path has a space and a non-ASCII letter: entry paths must be file paths
 * (fileURLToPath), not URL pathnames ("with%20space/…", which no file system has).
 */
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@course/shared';
import { requestJson, spawnServer } from '@course/shared/testing';

// A copy of this lesson's src/ under tmp/ (git-ignored), with the lesson's node_modules linked
// in so the copy resolves @course/shared like the original.
const lessonCopy = join(repoRoot, 'tmp', `path with space ü-${process.pid}`, 'lessons', '02-db');
afterAll(() => rmSync(join(repoRoot, 'tmp', `path with space ü-${process.pid}`), { recursive: true, force: true }));

describe('run from a path with a space and a non-ASCII letter', () => {
  it('gives a server entry path that exists, and the server serves from there', { timeout: 60_000 }, async () => {
    mkdirSync(lessonCopy, { recursive: true });
    cpSync(join(repoRoot, 'lessons', '02-db', 'src'), join(lessonCopy, 'src'), { recursive: true });
    symlinkSync(join(repoRoot, 'lessons', '02-db', 'node_modules'), join(lessonCopy, 'node_modules'), 'dir');
    const { serverEntry } = (await import(join(lessonCopy, 'src', 'index.ts'))) as typeof import('../src/index.ts');

    expect(serverEntry).toBe(join(lessonCopy, 'src', 'server.ts'));
    expect(existsSync(serverEntry)).toBe(true);
    const server = await spawnServer(serverEntry, { env: { DB_PATH: join(lessonCopy, 'data', 'spaced.db'), SEED_COUNT: '5' } });
    try {
      expect((await requestJson(`${server.url}/items/5`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
