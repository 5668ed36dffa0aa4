/**
 * Where the engines keep their data: somewhere the unprivileged user PostgreSQL runs as (when
 * we are root) can enter, whatever folder the checkout is in; and a plain message when it cannot.
 */
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findEngineBinaries } from '../src/engines/binaries.ts';
import { startPostgres } from '../src/engines/postgres.ts';
import { canEnter, engineUser, scratchDir, UnreachableDirError } from '../src/engines/scratch.ts';

const lessonDir = fileURLToPath(new URL('..', import.meta.url));
const isRoot = process.getuid?.() === 0;
// A folder like /root: closed to every other user.
const closed = mkdtempSync(join(tmpdir(), 'lesson-13-closed-'));
chmodSync(closed, 0o700);
afterAll(() => rmSync(closed, { recursive: true, force: true }));

describe('the engines\' scratch folder', () => {
  it('is a new folder under the system temporary folder, not inside the checkout', () => {
    const dir = scratchDir('where');
    try {
      expect(relative(tmpdir(), dir).startsWith('..')).toBe(false);
      expect(relative(lessonDir, dir).startsWith('..')).toBe(true);
      expect(statSync(dir).isDirectory()).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The engine user exists only for root: as anyone else the engines run as that same user.
  describe.skipIf(!isRoot)('as root', () => {
    it('can be entered by the user PostgreSQL runs as', () => {
      const dir = scratchDir('reach');
      try {
        expect(canEnter(dir, engineUser()!)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('is refused, naming the user, the folder and TMPDIR, under a folder that user cannot enter', () => {
      expect(() => scratchDir('x', closed)).toThrow(UnreachableDirError);
      expect(() => scratchDir('x', closed)).toThrow(/runs as the user "(postgres|nobody)".*cannot enter .*lesson-13-closed-.*TMPDIR/);
    });

    it.skipIf(findEngineBinaries().missing.includes('postgres'))('startPostgres says so plainly, before initdb fails with "could not change directory"', async () => {
      const binaries = findEngineBinaries().binaries!;
      await expect(startPostgres({ ...binaries, dir: join(closed, 'pg'), port: 5432, maxConnections: 10 }))
        .rejects.toThrow(/cannot enter .*lesson-13-closed-.*TMPDIR/);
    });
  });
});
