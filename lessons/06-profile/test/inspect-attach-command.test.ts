/**
 * `npm run inspect:attach`, the command the README documents, on the running Node: on Node 20
 * the script adds --experimental-websocket (the WebSocket client is behind it there).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@course/shared';

const run = promisify(execFile);
const lessonDir = fileURLToPath(new URL('..', import.meta.url));

describe(`npm run inspect:attach on Node ${process.version}`, () => {
  it('profiles a server started without flags and exits 0', async () => {
    // The command writes profiles/attach-slow-<time>/; remove what this run added, pass or fail.
    const profiles = join(repoRoot, 'profiles');
    const listed = (): string[] => (existsSync(profiles) ? readdirSync(profiles) : []);
    const before = new Set(listed());
    try {
      const { stdout } = await run('npm', ['run', '--silent', 'inspect:attach', '--', '--seconds', '0.5', '--connections', '2'], {
        cwd: lessonDir,
        timeout: 120_000,
        env: { ...process.env, NODE_OPTIONS: '' }, // the script's own flags, not this shell's
      });
      expect(stdout).toMatch(/Runtime\.evaluate\("process\.pid"\) ran inside the server and returned \d+/);
      expect(stdout).toMatch(/^written: profiles\/attach-slow-.*\/attached\.cpuprofile$/m);
    } finally {
      for (const added of listed().filter((name) => !before.has(name) && name.startsWith('attach-'))) {
        rmSync(join(profiles, added), { recursive: true, force: true });
      }
    }
  }, 150_000);
});
