/**
 * The README's "Node versions" table against the running Node: what src/profiling/node-versions.ts
 * says for this version, measured (profiles counted, type stripping tried). Run it on each line
 * to check that line's column; a table compared with a copy of itself would check nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { analyzeCpuProfile, type CpuProfile } from '../src/profiling/analyze-cpuprofile.ts';
import { tsxCpuProfileCount, typeStripping } from '../src/profiling/node-versions.ts';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/hot-workload.ts', import.meta.url));
const hotLine = readFileSync(fixture, 'utf8').split('\n').findIndex((l) => l.startsWith('export function hotWorkload')) + 1;
let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'lesson-06-versions-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe(`on the running Node (${process.version})`, () => {
  it(`node --import tsx --cpu-prof writes exactly ${tsxCpuProfileCount(process.version)} profile(s)`, async () => {
    const out = join(dir, 'tsx');
    await run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${out}`, ...tsxImportArgs, fixture]);
    expect(readdirSync(out).filter((f) => f.endsWith('.cpuprofile'))).toHaveLength(tsxCpuProfileCount(process.version));
  }, 60_000);

  it(`reports type stripping as ${String(typeStripping(process.version))}`, () => {
    expect((process.features as { typescript?: string | false }).typescript || undefined).toBe(typeStripping(process.version));
  });

  it.runIf(typeStripping(process.version) === 'strip')('profiles a .ts file with no loader at all: one profile, TypeScript line numbers without a source map', async () => {
    const out = join(dir, 'strip');
    await run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${out}`, fixture]);
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    const analysis = analyzeCpuProfile(JSON.parse(readFileSync(join(out, files[0]!), 'utf8')) as CpuProfile, { root: repoRoot });
    // Stripping replaces types with spaces, so V8's positions are the .ts file's own.
    expect(analysis.bySelf[0]).toMatchObject({ name: 'hotWorkload', location: `lessons/06-profile/test/fixtures/hot-workload.ts:${hotLine}` });
  }, 60_000);

  it.runIf(typeStripping(process.version) === undefined)('refuses to run a .ts file without a loader', async () => {
    await expect(run(process.execPath, [fixture])).rejects.toMatchObject({ stderr: expect.stringContaining('ERR_UNKNOWN_FILE_EXTENSION') });
  });
});
