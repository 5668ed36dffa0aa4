/**
 * `cd lessons/06-profile && npm run profile:strip [-- --rounds 20]`
 *
 * The same workload (workload.ts: the four slow paths, no server) profiled twice with
 * --cpu-prof: run by Node's own type stripping (`node workload.ts`, Node 22.18 and later) and
 * through tsx (`node --import tsx workload.ts`). Prints, for each, how many profiles were
 * written and where the self time was, by TypeScript file:line. Writes
 * profiles/strip-<time>/{strip,tsx}/ (git-ignored).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { repoRoot } from '@course/shared';
import { runBench, tsxImportArgs, UsageError } from '@course/shared/bench';
import { analyzeCpuProfile, type CpuProfile, type Locate } from './analyze-cpuprofile.ts';
import { typeStripping } from './node-versions.ts';
import { pickMainCpuProfile } from './pick-main.ts';
import { locateWithSourceMaps, readSourceMapDump } from './source-maps.ts';
import { profileDir, shown } from './under-load.ts';

const run = promisify(execFile);
const workload = fileURLToPath(new URL('./workload.ts', import.meta.url));
const dumpPreload = fileURLToPath(new URL('./dump-source-maps.ts', import.meta.url));
const lessonSrc = fileURLToPath(new URL('../', import.meta.url));

runBench(async () => {
  let rounds: number;
  try {
    const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { rounds: { type: 'string' } } });
    rounds = Number(values.rounds ?? 20);
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000) throw new UsageError(`--rounds must be a whole number from 1 to 1000, got "${rounds}"`);
  const dir = profileDir('strip', { name: 'workload' });

  const runs: { name: string; nodeArgs: string[]; env?: Record<string, string>; maps?: string }[] = [];
  if (typeStripping(process.version)) runs.push({ name: 'strip', nodeArgs: [] });
  else console.log(`${process.version} has no type stripping (Node 22.18 and later have it): profiling with tsx only.`);
  const maps = join(dir, 'tsx-source-maps.json');
  runs.push({ name: 'tsx', nodeArgs: [...tsxImportArgs, '--import', dumpPreload], env: { PROFILE_SOURCE_MAPS: maps, PROFILE_SOURCE_ROOTS: lessonSrc }, maps });

  for (const r of runs) {
    const out = join(dir, r.name);
    const started = performance.now();
    // LESSON: no loader at all in the strip run: `node --cpu-prof src/profiling/workload.ts`
    await run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${out}`, ...r.nodeArgs, workload, String(rounds)], { env: { ...process.env, ...r.env } });
    const wallMs = performance.now() - started;
    const files = readdirSync(out).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(out, f));
    const picked = pickMainCpuProfile(files);
    const locate: Locate | undefined = r.maps ? locateWithSourceMaps(readSourceMapDump(r.maps), repoRoot) : undefined;
    const analysis = analyzeCpuProfile(JSON.parse(readFileSync(picked.file, 'utf8')) as CpuProfile, { locate, root: repoRoot, ownCode: ['lessons/'] });
    const command = r.name === 'strip' ? 'node --cpu-prof' : 'node --import tsx --cpu-prof';
    console.log(`\n${command} src/profiling/workload.ts ${rounds}: ${files.length} profile(s), ${(wallMs / 1000).toFixed(2)} s wall, busy ${(analysis.busyMs / 1000).toFixed(2)} s; ${shown(picked.file)}`);
    console.log(`${'self ms'.padStart(9)} ${'self%'.padStart(6)}  function  location${r.maps ? ' (through tsx\'s source maps)' : ' (as V8 recorded it)'}`);
    for (const f of analysis.bySelf.slice(0, 6)) console.log(`${f.selfMs.toFixed(1).padStart(9)} ${f.selfPercent.toFixed(1).padStart(6)}  ${f.name}  ${f.location}`);
  }
});
