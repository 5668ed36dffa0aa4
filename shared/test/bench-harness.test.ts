import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { benchHttp, benchOps, parseBenchArgs, reapedChildrenCpuSeconds, spawnServer } from '../src/bench/index.ts';
import { startServer } from '../src/index.ts';

const quick = parseBenchArgs(['--duration', '0.2', '--warmup', '0', '--rounds', '2', '--connections', '2', '--no-save']).options;
const fixture = fileURLToPath(new URL('./bench-server.fixture.ts', import.meta.url));

describe('bench harness', { timeout: 30_000 }, () => {
  it('runs every ops variant in each round, adds an A/A row, and prints one ratio line per pair', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const order: string[] = [];
    try {
      const slowOp = (): number => { order.push('slow'); let x = 0; for (let i = 0; i < 1e5; i++) x += i; return x; };
      const report = await benchOps({
        lesson: 'test', title: 'ops', options: quick,
        variants: [
          { name: 'slow', run: slowOp },
          { name: 'fast', run: () => { order.push('fast'); } },
        ],
      });
      expect(report.variants.map((v) => v.name)).toEqual(['slow', 'fast', 'slow (A/A)']);
      expect(report.ratios).toHaveLength(2);
      expect(report.ratios[0]).toMatch(/^fast \/ slow = ([\d,.]+x ops\/s \(95% CI |no difference detected in ops\/s \(95% CI )/);
      expect(report.comparisons.map((c) => [c.variant, c.baseline, c.aa])).toEqual([['fast', 'slow', false], ['slow (A/A)', 'slow', true]]);
      expect(report.noiseFloor).toEqual(report.comparisons[1]!.rate.ci);
      expect(report.ratios[1]).toMatch(/^slow \(A\/A\) \/ slow = /);
      // Alternating: the last three blocks are round 2 in reverse (A/A, fast, slow).
      const blocks = order.filter((name, i) => i === 0 || order[i - 1] !== name);
      expect(blocks.slice(-3)).toEqual(['slow', 'fast', 'slow']);
      const printed = log.mock.calls.flat().join('\n');
      expect(printed).toContain('fast / slow =');
      expect(printed).toMatch(/^noise floor \(A\/A\): slow \(A\/A\) \/ slow = /m);
      expect(printed).toContain('warning: 2 round pair(s): with fewer than 6 the intervals are wide and unreliable');
    } finally {
      log.mockRestore();
    }
  });

  it('a smoke run (--short) says so, has no A/A row, and states no finding and no verdict', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const options = { ...parseBenchArgs(['--short', '--no-save']).options, duration: 0.05, warmup: 0 };
      const report = await benchOps({ lesson: 'test', title: 'ops', options, variants: [{ name: 'a', run: () => 1 }, { name: 'b', run: () => 2 }] });
      expect(report.variants.map((v) => v.name)).toEqual(['a', 'b']);
      expect(report.smoke).toBe(true);
      expect(report.noiseFloor).toBeUndefined();
      expect(report.comparisons.map((c) => [c.status, c.verdict.kind])).toEqual([['smoke', 'smoke']]);
      expect(report.comparisons[0]!.rate.ci).toBeUndefined();
      const printed = log.mock.calls.flat().join('\n');
      expect(printed).toContain('SMOKE RUN (--short)');
      expect(printed).toMatch(/^smoke: b \/ a measured [\d.,]+x ops\/s \(a full run computes its CI and compares it with a reference, when the lesson has one\)$/m);
      expect(printed).not.toMatch(/reproduce:|reproduced|size differs|inconclusive|no difference detected|95% CI|noise floor/);
    } finally {
      log.mockRestore();
    }
  });

  it('names each variant\'s connection count when they differ', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const ok = await startServer(createServer((_req, res) => res.end('ok')));
    try {
      await benchHttp({
        lesson: 'test', title: 'http', options: { ...quick, rounds: 1, short: true },
        variants: [
          { name: 'few', target: () => ({ url: ok.url }), connections: 1 },
          { name: 'default', target: () => ({ url: ok.url }) },
        ],
      });
      expect(log.mock.calls.flat().join('\n')).toContain('connections per variant: few 1, default 2');
    } finally {
      log.mockRestore();
      await ok.close();
    }
  });

  it('measures HTTP variants with autocannon, counts non-2xx, and prints "–" where no process is known', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const ok = await startServer(createServer((_req, res) => res.end('ok')));
    const failing = await startServer(createServer((_req, res) => { res.statusCode = 503; res.end(); }));
    try {
      const report = await benchHttp({
        lesson: 'test', title: 'http', options: quick,
        variants: [
          { name: 'ok', target: () => ({ url: ok.url }) },
          { name: 'failing', target: () => ({ url: failing.url }) },
        ],
      });
      const [okResult, failingResult, aa] = report.variants;
      expect(okResult!.rate).toBeGreaterThan(0);
      expect(okResult!.non2xx).toBe(0);
      expect(failingResult!.non2xx).toBeGreaterThan(0);
      expect(aa!.name).toBe('ok (A/A)');
      expect(report.ratios[0]).toMatch(/^failing \/ ok = /);
      // In-process servers: no pid, so no server CPU, ELU or GC — never a made-up 0.
      expect(okResult!.attribution).toMatchObject({ serverCpuUsPerRequest: undefined, elu: undefined, gcCount: undefined });
      expect(okResult!.attribution!.generatorCpuUsPerRequest).toBeGreaterThan(0);
      // p99 comes from one histogram of every request of every round.
      expect(okResult!.p99Ms).toBeGreaterThanOrEqual(okResult!.p50Ms);
      const printed = log.mock.calls.flat().join('\n');
      expect(printed).toContain('2 connections');
      expect(printed).toMatch(/ok\s+[\d,]+\s+[\d,]+–[\d,]+/);
      // A full run: conditions in the header, the A/A interval as the noise floor, intervals on every ratio.
      expect(printed).toMatch(/^conditions: load average [\d.]+ \(1 min\), [\d.]+ \(5 min\) before start on \d+ cores; servers pinned: no; load generator at up to \d+% of its core$/m);
      expect(printed).toMatch(/^noise floor \(A\/A\): ok \(A\/A\) \/ ok = .*\(95% CI \S+–\S+\)/m);
      expect(report.conditions.loadAverage).toHaveLength(3);
      expect(report.conditions.generatorCoreShare).toBeGreaterThan(0);
      expect(report.comparisons[0]!.rate.ci!.low).toBeLessThanOrEqual(report.comparisons[0]!.rate.ratio);
      expect(report.comparisons[0]!.rate.pairs).toBe(2);
      expect(report.noiseFloor).toEqual(report.comparisons[1]!.rate.ci);
      expect((okResult!.rounds as { rate: number }[]).every((r) => r.rate > 0)).toBe(true);
    } finally {
      log.mockRestore();
      await ok.close();
      await failing.close();
    }
  });

  it('runs an alongside load in the same seconds, with its own columns, and leaves a pin: false server unpinned', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const paths: string[] = [];
    const server = await startServer(createServer((req, res) => { paths.push(req.url ?? ''); res.end('ok'); }));
    try {
      const report = await benchHttp({
        lesson: 'test', title: 'alongside', options: { ...quick, rounds: 1, short: true },
        variants: [{
          name: 'main', target: () => ({ url: server.url, pin: false }), request: { path: '/main' },
          alongside: { label: 'side', request: { path: '/side' }, connections: 1, rate: 20 },
        }],
      });
      const [main] = report.variants;
      expect(paths).toContain('/main');
      expect(paths).toContain('/side');
      // The alongside requests are not the variant's: its count is of /main only.
      const counted = (main!.rounds as { requests: number }[]).reduce((sum, r) => sum + r.requests, 0);
      expect(counted).toBeLessThanOrEqual(paths.filter((p) => p === '/main').length);
      expect(main!.extra['side req/s']).toBeGreaterThan(0);
      expect(main!.extra['side p99 ms']).toBeGreaterThanOrEqual(main!.extra['side p50 ms']!);
      const printed = log.mock.calls.flat().join('\n');
      expect(printed).toContain('side p99 ms');
      expect(printed).toContain('isolation: none (');
    } finally {
      log.mockRestore();
      await server.close();
    }
  });

  it('attributes server CPU, ELU and GC of a spawned server, and profiles it with --profile', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const server = await spawnServer(fixture);
    try {
      const report = await benchHttp({
        lesson: 'test-harness', title: 'attribution', options: { ...quick, short: true, profile: true, perProcess: true },
        variants: [
          { name: 'plain', target: () => ({ url: server.url, close: () => server.close() }) },
          { name: 'work', target: () => ({ url: server.url }), request: { path: '/work' } },
        ],
      });
      const work = report.variants.find((v) => v.name === 'work')!;
      const a = work.attribution!;
      expect(a.processes).toBe(1);
      expect(a.serverCpuUsPerRequest).toBeGreaterThan(0);
      expect(a.elu).toBeGreaterThan(0);
      expect(a.elu).toBeLessThanOrEqual(1);
      // /work allocates 64-element arrays for 0.2 ms per request: young-generation GCs run.
      expect(a.gcCount).toBeGreaterThan(0);
      expect(a.gcMs).toBeGreaterThan(0);
      expect(a.gcMs).toBeLessThan(60_000);
      const printed = log.mock.calls.flat().join('\n');
      expect(printed).toMatch(/^smoke: work \/ plain measured [\d.]+x req\/s, [\d.]+x CPU per request \(a full run/m);
      expect(printed).toContain('what changed, work vs plain');
      // Printed paths are relative to the repository root.
      expect(printed).toMatch(/^profile: work → profiles\/test-harness\/work\.cpuprofile/m);
      // Every measured request is in the merged histogram: p50 … p99.99, non-decreasing.
      expect(work.percentiles!.map((p) => p.percentile)).toEqual([50, 75, 90, 99, 99.9, 99.99]);
      const ms = work.percentiles!.map((p) => p.ms);
      expect(ms).toEqual([...ms].sort((x, y) => x - y));
      expect(ms[0]).toBeGreaterThan(0);
      // --per-process: the one server process, named by its script, carries the CPU.
      const root = a.perProcess?.find((p) => p.role === 'root');
      expect(root).toMatchObject({ command: 'shared/test/bench-server.fixture.ts', processes: 1 });
      expect(root!.cpuUsPerRequest).toBeGreaterThan(0);
      expect(root!.cpuUsPerRequest).toBeLessThanOrEqual(a.serverCpuUsPerRequest!);
      // Serving sockets takes kernel time, and the main thread sleeps in epoll between requests.
      expect(root!.sysPct).toBeGreaterThan(0);
      expect(root!.sysPct).toBeLessThanOrEqual(100);
      expect(root!.voluntaryPerRequest).toBeGreaterThan(0);
      expect(root!.voluntaryPerRequest).toBeLessThan(10);
      expect(printed).toMatch(/per process \(server CPU/);
      expect(printed).toMatch(/work +root shared\/test\/bench-server\.fixture\.ts +1 /);
    } finally {
      log.mockRestore();
      await server.close();
    }
  });

  it('starts a server in a session of its own with detached: true, and in this one without', async () => {
    // Field 6 of /proc/<pid>/stat is the session id (fields counted after the command name).
    const session = (pid: number | string): string => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]!;
    };
    const attached = await spawnServer(fixture);
    const detached = await spawnServer(fixture, { detached: true });
    try {
      expect(session(attached.pid)).toBe(session('self'));
      expect(session(detached.pid)).toBe(String(detached.pid));
      expect(await (await fetch(detached.url)).text()).toBe('ok');
    } finally {
      await attached.close();
      await detached.close();
    }
  });

  it('counts the CPU of a child generator once it has exited (how the wrk half measures wrk)', async () => {
    const before = reapedChildrenCpuSeconds()!;
    // A child that burns 0.3 s of its own CPU (counted by CPU, not wall time: the machine may be busy), then exits and is reaped.
    const child = spawn(process.execPath, ['-e', 'while (process.cpuUsage().user < 300000) {}'], { stdio: 'ignore' });
    await new Promise((resolve) => child.on('exit', resolve));
    const spent = reapedChildrenCpuSeconds()! - before;
    expect(spent).toBeGreaterThan(0.25);
    expect(spent).toBeLessThan(30);
  });
});
