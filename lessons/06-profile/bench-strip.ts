/**
 * `cd lessons/06-profile && npm run profile:strip [-- --short] [--profile-seconds 3]`
 *
 * This lesson's server started two ways: through tsx (`node --import tsx src/server.ts`, what
 * `npm start` does on every Node line) and by Node's own type stripping (`node src/server.ts`,
 * Node 22.18 and later, no loader at all). Three measurements, on the course's bench harness:
 *
 * 1. under load (`GET /items?limit=20`): req/s, CPU per request, processes, threads, RSS;
 * 2. start-up: how soon a started server reports it listens (`ready ms`), start and stop timed;
 * 3. `--cpu-prof` under the /slow load: how many profiles each way writes, and the top frames.
 *
 * On a Node without type stripping it says the strip side is unavailable and exits 0.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import {
  benchHttp, benchOps, environmentLine, median, parseBenchArgs, runBench, spawnServer, UsageError, type HttpVariant, type OpsVariant, type Target,
} from '@course/shared/bench';
import { analyzeCpuProfile, type CpuProfile, type Locate } from './src/profiling/analyze-cpuprofile.ts';
import { typeStripping } from './src/profiling/node-versions.ts';
import { pickMainCpuProfile } from './src/profiling/pick-main.ts';
import { locateWithSourceMaps, readSourceMapDump } from './src/profiling/source-maps.ts';
import { targets } from './src/profiling/targets.ts';
import { profileDir, runUnderLoad, shown } from './src/profiling/under-load.ts';

type Loader = 'tsx' | 'none';
const sides: { name: string; loader: Loader; command: string }[] = [
  { name: 'tsx', loader: 'tsx', command: 'node --import tsx src/server.ts' },
  { name: 'strip', loader: 'none', command: 'node src/server.ts' },
];
const entry = fileURLToPath(new URL('./src/server.ts', import.meta.url));
const env = { DB_PATH: join(repoRoot, 'data', 'lesson-06.db') };
const dumpPreload = fileURLToPath(new URL('./src/profiling/dump-source-maps.ts', import.meta.url));
const lessonSrc = fileURLToPath(new URL('./src/', import.meta.url));

/** Threads of a process (Linux: one entry per thread in /proc/<pid>/task). */
const threadsOf = (pid: number): number => readdirSync(`/proc/${pid}/task`).length;
/** Resident set size of a process in MB (Linux). */
const rssMbOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

runBench(async () => {
  const { options, values } = parseBenchArgs(process.argv.slice(2), { connections: 10 }, { 'profile-seconds': { type: 'string' } });
  const profileSeconds = Number(values['profile-seconds'] ?? (options.short ? 1 : 3));
  if (!Number.isFinite(profileSeconds) || profileSeconds <= 0 || profileSeconds > 60) {
    throw new UsageError(`--profile-seconds must be a number above 0 and at most 60, got "${String(values['profile-seconds'])}"`);
  }
  if (!typeStripping(process.version)) {
    console.log(`lesson-06 · tsx vs type stripping · ${environmentLine()}`);
    console.log(`skipped: Node ${process.version} has no type stripping (Node 22.18 and later have it), so the strip side (node src/server.ts) is unavailable on this Node; nothing was measured. npm start runs the server through tsx here.`);
    return;
  }
  for (const side of sides) console.log(`${side.name}: ${side.command}`);

  // 1. The same server, the same request, under load.
  const variants: HttpVariant[] = sides.map((side) => ({
    name: side.name,
    target: async (): Promise<Target> => {
      // LESSON: loader 'none' forks `node src/server.ts`: Node strips the types itself.
      const server = await spawnServer(entry, { env, loader: side.loader });
      return { url: server.url, pid: server.pid, close: () => server.close() };
    },
    request: { method: 'GET', path: '/items?limit=20' },
    collect: async (t): Promise<Record<string, number>> => (t.pid === undefined ? {} : { threads: threadsOf(t.pid), 'RSS MB': rssMbOf(t.pid) }),
  }));
  await benchHttp({ lesson: 'lesson-06', title: 'tsx vs type stripping under load', variants, options });

  // 2. Start-up: fork until the server reports it listens (`ready ms`), then a graceful stop.
  // tsx keeps what esbuild compiled in a disk cache, so after the first start it compiles
  // nothing; `tsx, no cache` (TSX_DISABLE_CACHE=1) pays the compile on every start, as the
  // first start after editing every file would.
  const starters = [...sides, { name: 'tsx, no cache', loader: 'tsx' as const, command: 'TSX_DISABLE_CACHE=1 node --import tsx src/server.ts', env: { TSX_DISABLE_CACHE: '1' } }];
  console.log(`\n${starters[2]!.name}: ${starters[2]!.command}`);
  const ready = new Map<string, number[]>(starters.map((s) => [s.name, []]));
  const starts: OpsVariant[] = starters.map((side) => ({
    name: side.name,
    baseline: side.name === 'tsx' ? undefined : 'tsx',
    run: async () => {
      const started = performance.now();
      const server = await spawnServer(entry, { env: { ...env, ...('env' in side ? side.env : {}) }, loader: side.loader, probe: false });
      ready.get(side.name)!.push(performance.now() - started);
      await server.close();
    },
    // Per round: the median time to ready of the starts in that round (then forgotten).
    collect: () => ({ 'ready ms': median(ready.get(side.name)!.splice(0)) }),
  }));
  await benchOps({ lesson: 'lesson-06', title: 'tsx vs type stripping, start and stop', unit: 'starts/s', variants: starts, options });

  // 3. Profiled under the /slow load: one .cpuprofile per V8 isolate, and where the time went.
  const dir = profileDir('strip', { name: 'server' });
  console.log(`\n--cpu-prof under ${targets.slow!.description}, ${profileSeconds} s each, ${options.connections} connections; profiles in ${shown(dir)}/`);
  for (const side of sides) {
    const out = join(dir, side.name);
    // Beside, not inside, the folder --cpu-prof creates when the server exits.
    const maps = join(dir, `${side.name}-source-maps.json`);
    const viaTsx = side.loader === 'tsx';
    const load = await runUnderLoad(targets.slow!, {
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${out}`, ...(viaTsx ? ['--import', dumpPreload] : [])],
      env: viaTsx ? { PROFILE_SOURCE_MAPS: maps, PROFILE_SOURCE_ROOTS: lessonSrc } : {},
      seconds: profileSeconds,
      connections: options.connections,
      loader: side.loader,
    });
    const files = readdirSync(out).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(out, f));
    const picked = pickMainCpuProfile(files);
    // Stripping replaces types with spaces: V8's line numbers are the .ts file's own, no map needed.
    const locate: Locate | undefined = viaTsx ? locateWithSourceMaps(readSourceMapDump(maps), repoRoot) : undefined;
    const analysis = analyzeCpuProfile(JSON.parse(readFileSync(picked.file, 'utf8')) as CpuProfile, { locate, root: repoRoot, ownCode: ['lessons/', 'shared/'], window: { fromUs: load.fromUs, toUs: load.toUs } });
    console.log(`${side.name} (${side.command} --cpu-prof): ${files.length} profile(s), ${load.requests} requests; top self time ${viaTsx ? '(through tsx\'s source maps)' : '(as V8 recorded it)'}:`);
    for (const f of analysis.bySelf.slice(0, 4)) console.log(`${f.selfMs.toFixed(1).padStart(9)} ms ${f.selfPercent.toFixed(1).padStart(5)}%  ${f.name}  ${f.location}`);
  }
});
