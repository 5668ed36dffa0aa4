import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { analyzeCpuProfile, type CpuProfile } from '../src/profiling/analyze-cpuprofile.ts';
import { tsxCpuProfileCount } from '../src/profiling/node-versions.ts';
import { pickMainCpuProfile, pickMainIsolateLog } from '../src/profiling/pick-main.ts';
import { locateWithSourceMaps, readSourceMapDump } from '../src/profiling/source-maps.ts';

const run = promisify(execFile);
let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'lesson-06-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, scriptId: '0', url, lineNumber, columnNumber: 0 });

describe('analyzeCpuProfile', () => {
  // root → main → parse → (self); root → (idle). Samples 10 µs apart.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 4] },
      { id: 2, callFrame: frame('main', 'file:///app/main.js', 0), children: [3] },
      { id: 3, callFrame: frame('parse', 'file:///app/parse.js', 9) },
      { id: 4, callFrame: frame('(idle)') },
    ],
    startTime: 1000,
    endTime: 1060,
    samples: [3, 3, 3, 2, 4, 3],
    timeDeltas: [0, 10, 10, 10, 10, 10],
  };

  it('attributes each sample until the next one to its leaf (self) and to every frame on its stack (total)', () => {
    const analysis = analyzeCpuProfile(profile);

    expect(analysis.idleMs).toBeCloseTo(0.01);
    expect(analysis.busyMs).toBeCloseTo(0.05);
    expect(analysis.bySelf.map((r) => [r.name, r.location, r.selfMs])).toEqual([
      ['parse', '/app/parse.js:10', 0.04],
      ['main', '/app/main.js:1', 0.01],
    ]);
    expect(analysis.byTotal.map((r) => [r.name, r.totalMs, Math.round(r.totalPercent)])).toEqual([
      ['main', 0.05, 100],
      ['parse', 0.04, 80],
    ]);
  });

  it('counts only the samples inside the window', () => {
    const analysis = analyzeCpuProfile(profile, { window: { fromUs: 1025, toUs: 1045 } });
    expect(analysis.samples).toBe(6);
    expect(analysis.bySelf.map((r) => [r.name, r.selfMs])).toEqual([['main', 0.01]]);
    expect(analysis.idleMs).toBeCloseTo(0.01);
  });

  it('names the hot function of a profile recorded in this process', async () => {
    const session = new Session();
    session.connect();
    try {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      // A known workload: all the CPU is in knownHotFunction, called by its caller.
      function knownHotFunction(n: number): number { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i) % 3; return s; }
      function callerOfKnownHotFunction(): number { let s = 0; for (let r = 0; r < 30; r++) s += knownHotFunction(1_000_000); return s; }
      expect(callerOfKnownHotFunction()).toBeGreaterThan(0);
      const { profile: recorded } = await session.post('Profiler.stop');

      const analysis = analyzeCpuProfile(recorded as CpuProfile);

      expect(analysis.bySelf[0]?.name).toBe('knownHotFunction');
      const caller = analysis.byTotal.find((r) => r.name === 'callerOfKnownHotFunction');
      expect(caller).toBeDefined();
      expect(caller!.totalMs).toBeGreaterThanOrEqual(analysis.bySelf[0]!.totalMs);
      expect(caller!.selfMs).toBeLessThan(analysis.bySelf[0]!.selfMs);
    } finally {
      await session.post('Profiler.disable');
      session.disconnect();
    }
  });

  it('under tsx with --cpu-prof, picks the main thread\'s file and points at the TypeScript line', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/hot-workload.ts', import.meta.url));
    const preload = fileURLToPath(new URL('../src/profiling/dump-source-maps.ts', import.meta.url));
    const maps = join(dir, 'maps.json');
    const out = join(dir, 'cpu');

    await run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${out}`, ...tsxImportArgs, '--import', preload, fixture], {
      env: { ...process.env, PROFILE_SOURCE_MAPS: maps, PROFILE_SOURCE_ROOTS: join(fixture, '..') },
    });
    const files = readdirSync(out).map((f) => join(out, f));
    const picked = pickMainCpuProfile(files);
    const analysis = analyzeCpuProfile(JSON.parse(readFileSync(picked.file, 'utf8')) as CpuProfile, {
      locate: locateWithSourceMaps(readSourceMapDump(maps), repoRoot),
    });

    // Two files where tsx has a loader thread (Node 20), one where it hooks in on the main
    // thread (Node 26): the picker must find the workload's either way.
    expect(files).toHaveLength(tsxCpuProfileCount(process.version));
    const line = readFileSync(fixture, 'utf8').split('\n').findIndex((l) => l.startsWith('export function hotWorkload')) + 1;
    expect(analysis.bySelf[0]).toMatchObject({ name: 'hotWorkload', location: `lessons/06-profile/test/fixtures/hot-workload.ts:${line}` });
    expect(analysis.byTotal.some((r) => r.name === 'callerOfHotWorkload')).toBe(true);
  }, 60_000);
});

describe('picking the main thread', () => {
  it('takes the cpuprofile with thread id 0 in its name, beside a loader thread\'s or alone', () => {
    const picked = pickMainCpuProfile(['/p/CPU.20261126.110117.16443.1.002.cpuprofile', '/p/CPU.20261126.110117.16443.0.001.cpuprofile']);
    expect(picked.file).toBe('/p/CPU.20261126.110117.16443.0.001.cpuprofile');
    expect(pickMainCpuProfile(['/p/CPU.20261201.150355.10230.0.001.cpuprofile']).reason).toMatch(/no loader thread/);
    expect(() => pickMainCpuProfile(['/p/CPU.20261201.150355.10230.1.002.cpuprofile'])).toThrow(/thread id 0/);
  });

  it('takes the isolate log that names the server\'s sources, even when another log is larger', () => {
    const main = join(dir, 'isolate-0x1-7-7-v8.log');
    const loader = join(dir, 'isolate-0x2-7-7-v8.log');
    writeFileSync(main, 'code-creation,JS,10,1,0x1,9,handler file:///srv/src/app.ts:1:1\n');
    writeFileSync(loader, `${'code-creation,JS,10,1,0x1,9,load file:///node_modules/tsx/dist/x.mjs:1:1\n'.repeat(50)}`);

    expect(pickMainIsolateLog([loader, main], ['/srv/src/']).file).toBe(main);
    expect(() => pickMainIsolateLog([loader], ['/srv/src/'])).toThrow(/no isolate log mentions/);
  });
});
