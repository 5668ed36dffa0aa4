import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tsxImportArgs } from '@course/shared/bench';
import { afterAll, describe, expect, it } from 'vitest';

const lesson = fileURLToPath(new URL('..', import.meta.url));
// Inside the lesson (git-ignored tmp/), so the copy resolves lesson-09 and tsx as the original does.
mkdirSync(join(lesson, 'tmp'), { recursive: true });
const checkout = mkdtempSync(join(lesson, 'tmp', 'a checkout with spaces-'));
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

describe('npm run hello (src/hello/master.ts as the entry point)', () => {
  it('runs the example from a path that contains spaces', async () => {
    cpSync(join(lesson, 'src', 'hello'), join(checkout, 'src', 'hello'), { recursive: true });
    cpSync(join(lesson, 'src', 'fork-ts.ts'), join(checkout, 'src', 'fork-ts.ts'));
    const master = join(checkout, 'src', 'hello', 'master.ts');
    expect(master).toContain(' ');
    const { stdout } = await promisify(execFile)(process.execPath, [...tsxImportArgs, master]);
    expect(stdout).toMatch(/^master \d+ forked child \d+$/m);
    expect(stdout).toMatch(/^2 \+ 3 = 5 \(computed in \d+\)$/m);
  });
});
