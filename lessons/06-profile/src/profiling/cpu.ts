/**
 * `cd lessons/06-profile && npm run profile:cpu [-- --target slow|fixed|express|http --seconds 10]`
 *
 * --cpu-prof under load, then the analyzer on the main thread's profile, with TypeScript
 * file:line through tsx's source maps. Writes profiles/cpu-<target>-<time>/.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import { runBench } from '@course/shared/bench';
import { analyzeCpuProfile, formatAnalysis, type CpuProfile } from './analyze-cpuprofile.ts';
import { pickMainCpuProfile } from './pick-main.ts';
import { parseProfileArgs } from './profile-args.ts';
import { locateWithSourceMaps, readSourceMapDump } from './source-maps.ts';
import { profileDir, runUnderLoad, shown } from './under-load.ts';

const dumpPreload = fileURLToPath(new URL('./dump-source-maps.ts', import.meta.url));

runBench(async () => {
  const args = parseProfileArgs(process.argv.slice(2));
  const dir = profileDir('cpu', args.target);
  const mapsFile = join(dir, 'source-maps.json');
  const load = await runUnderLoad(args.target, {
    // LESSON: --cpu-prof writes a .cpuprofile per thread when the process exits.
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', dumpPreload],
    env: { PROFILE_SOURCE_MAPS: mapsFile, PROFILE_SOURCE_ROOTS: args.target.sourceRoots.join(':') },
    seconds: args.seconds,
    connections: args.connections,
  });
  console.log(`load: ${load.requests} requests, ${load.rate.toFixed(0)} req/s, p99 ${load.p99Ms} ms, non-2xx ${load.non2xx}${load.serverCpuMs === undefined ? '' : `; server CPU ${(load.serverCpuMs / 1000).toFixed(1)} s = ${((load.serverCpuMs * 1000) / Math.max(1, load.requests)).toFixed(0)} µs per request`}`);

  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
  const picked = pickMainCpuProfile(files);
  console.log(`${files.length} profiles written; main thread: ${shown(picked.file)} (${picked.reason})`);

  const profile = JSON.parse(readFileSync(picked.file, 'utf8')) as CpuProfile;
  const analysis = analyzeCpuProfile(profile, {
    locate: locateWithSourceMaps(readSourceMapDump(mapsFile), repoRoot),
    root: repoRoot,
    // Only the load phase: start-up (module compilation, seeding) is not what we came for.
    window: { fromUs: load.fromUs, toUs: load.toUs },
    ownCode: ['lessons/', 'shared/'],
  });
  console.log(`analysed the load phase only (${((load.toUs - load.fromUs) / 1e6).toFixed(1)} s of ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s profiled)`);
  const text = formatAnalysis(analysis);
  writeFileSync(join(dir, 'analysis.txt'), `${text}\n`);
  console.log(`\n${text}\n\nwritten: ${shown(join(dir, 'analysis.txt'))}; open the .cpuprofile in Chrome DevTools (Performance → Load profile) for the flame chart`);
});
