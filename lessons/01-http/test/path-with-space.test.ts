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
const lessonCopy = join(repoRoot, 'tmp', `path with space ü-${process.pid}`, 'lessons', '01-http');
afterAll(() => rmSync(join(repoRoot, 'tmp', `path with space ü-${process.pid}`), { recursive: true, force: true }));

describe('run from a path with a space and a non-ASCII letter', () => {
  it('gives entry paths that exist, and the node:http entry serves from there', { timeout: 60_000 }, async () => {
    mkdirSync(lessonCopy, { recursive: true });
    cpSync(join(repoRoot, 'lessons', '01-http', 'src'), join(lessonCopy, 'src'), { recursive: true });
    symlinkSync(join(repoRoot, 'lessons', '01-http', 'node_modules'), join(lessonCopy, 'node_modules'), 'dir');
    const { entries } = (await import(join(lessonCopy, 'src', 'entries.ts'))) as typeof import('../src/entries.ts');

    expect(entries.http).toBe(join(lessonCopy, 'src', 'server-http.ts'));
    for (const path of Object.values(entries)) expect(existsSync(path), path).toBe(true);
    const server = await spawnServer(entries.http);
    try {
      expect((await requestJson(`${server.url}/index`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
