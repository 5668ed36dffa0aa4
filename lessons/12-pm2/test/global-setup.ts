/**
 * After the whole run: the tests remove what each of them wrote under tmp/pm2/, and this
 * removes tmp/pm2/ itself once it is empty (a run of another lesson, or a learner's own use of
 * it, leaves it in place).
 */
import { rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@course/shared';

export function teardown(): void {
  try {
    rmdirSync(join(repoRoot, 'tmp', 'pm2'));
  } catch {
    // not empty, or already gone
  }
}
