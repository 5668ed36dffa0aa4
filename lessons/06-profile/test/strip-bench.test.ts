/**
 * The server without tsx (Node's own type stripping), and `npm run profile:strip`, which
 * compares the two ways of starting it: its ratio lines on a Node that strips types, a plain
 * "unavailable" on one that does not. Behaviour only: no number is asserted.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@course/shared';
import { spawnServer, tsxImportArgs } from '@course/shared/bench';
import { typeStripping } from '../src/profiling/node-versions.ts';

const run = promisify(execFile);
const lessonDir = fileURLToPath(new URL('../', import.meta.url));
const server = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const strips = typeStripping(process.version) === 'strip';
let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'lesson-06-strip-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe(`node src/server.ts without tsx on ${process.version}`, () => {
  it.runIf(strips)('starts, serves the items API and a fixed path, and drains on SIGTERM', async () => {
    const child = await spawnServer(server, { loader: 'none', probe: false, env: { DB_PATH: join(dir, 'strip.db'), CATALOG_SIZE: '200' } });
    try {
      const items = await fetch(`${child.url}/items?limit=2`);
      expect(items.status).toBe(200);
      expect(((await items.json()) as { items: unknown[] }).items).toHaveLength(2);
      const bad = await fetch(`${child.url}/fixed/usernames/check?username=${'a'.repeat(10_001)}`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'VALIDATION' } });
      // No loader in the process: its own flags hold no --import.
      expect(child.child.spawnargs.join(' ')).not.toContain('tsx');
    } finally {
      await child.close();
    }
    expect(child.child.exitCode).toBe(0);
  }, 60_000);

  it.runIf(!strips)('is refused: Node has no type stripping here', async () => {
    await expect(run(process.execPath, [server])).rejects.toMatchObject({ stderr: expect.stringContaining('ERR_UNKNOWN_FILE_EXTENSION') });
  });
});

describe('npm run profile:strip', () => {
  const profileStrip = (...args: string[]) =>
    run(process.execPath, [...tsxImportArgs, 'bench-strip.ts', '--', ...args], { cwd: lessonDir, env: { ...process.env, COURSE_BENCH_VERDICTS: '' } });

  it.runIf(strips)('--short prints a strip / tsx smoke line under load and for start-up, and one profile each way', async () => {
    const { stdout } = await profileStrip('--short', '--no-save', '--profile-seconds', '0.5');
    // A smoke run states no finding: it prints what a full run would compare (no interval, no verdict).
    expect(stdout).toMatch(/^smoke: strip \/ tsx measured [\d.]+x req\/s, [\d.]+x CPU per request \(a full run/m);
    expect(stdout).toMatch(/^smoke: strip \/ tsx measured [\d.]+x starts\/s \(a full run/m);
    expect(stdout).toMatch(/threads +RSS MB/);
    expect(stdout).toMatch(/ready ms/);
    expect(stdout).toMatch(/^tsx \(node --import tsx src\/server\.ts --cpu-prof\): 1 profile\(s\)/m);
    expect(stdout).toMatch(/^strip \(node src\/server\.ts --cpu-prof\): 1 profile\(s\)/m);
    // The strip profile points at the .ts file's own lines with no source map at all.
    expect(stdout).toMatch(/  lessons\/06-profile\/src\/slow\.ts:\d+$/m);
    const folder = /profiles in (profiles\/strip-server-[^/\s]+)\//.exec(stdout)?.[1];
    expect(folder).toBeDefined();
    rmSync(join(repoRoot, folder!), { recursive: true, force: true });
  }, 180_000);

  it.runIf(!strips)('says the strip side is unavailable on this Node and exits 0', async () => {
    const { stdout } = await profileStrip('--short', '--no-save');
    expect(stdout).toContain(`skipped: Node ${process.version} has no type stripping`);
    expect(stdout).toContain('unavailable on this Node');
  }, 60_000);

  it('refuses a bad --profile-seconds with one line and exit 2', async () => {
    await expect(profileStrip('--profile-seconds', 'soon')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--profile-seconds must be a number') });
  }, 60_000);
});
