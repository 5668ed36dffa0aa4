/**
 * A bench's own seeded database file, so a bench never writes into the course's data/course.db.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, repoRoot } from '../config.ts';
import { openSeededDatabase } from '../db/open-seeded-database.ts';

/**
 * Returns the path of `tmp/<name>-<seedCount>.db` at the repo root, seeded on first use and
 * reused afterwards (seeding 100k rows takes a second or two).
 * @param seedCount defaults to SEED_COUNT (100 000)
 */
export function prepareBenchDatabase(name: string, seedCount = loadConfig().seedCount): string {
  mkdirSync(join(repoRoot, 'tmp'), { recursive: true });
  const path = join(repoRoot, 'tmp', `${name}-${seedCount}.db`);
  openSeededDatabase({ dbPath: path, seedCount }, () => {}).close();
  return path;
}
