// `npm test` (scripts/test.mjs) ends with what was skipped and why, then
// "N passed, M failed, K skipped", the line .ci/run parses.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countsOf, summaryLines } from '../../scripts/test-summary.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(repoRoot, 'shared', 'test', 'fixtures', 'skips');

/** Runs vitest on the fixture with the skip reporter; returns its records and the stdout. */
async function runFixture(): Promise<{ records: Array<{ file: string; name: string; reason: string }>; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'skip-report-'));
  const report = join(dir, 'skipped.jsonl');
  try {
    const vitest = join(repoRoot, 'shared', 'node_modules', '.bin', 'vitest');
    const child = spawn(vitest, ['run', '--root', fixtures, '--config', join(fixtures, 'vitest.config.mjs'),
      '--reporter=default', `--reporter=${join(repoRoot, 'scripts', 'skip-reporter.mjs')}`], {
      env: { ...process.env, COURSE_SKIP_REPORT: report, FORCE_COLOR: '0' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    const status = await new Promise((done) => child.on('exit', done));
    expect(status, stdout).toBe(0);
    const records = readFileSync(report, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
    return { records, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('npm test summary', () => {
  it('records every skipped test with the reason written in the source or given to ctx.skip', async () => {
    const { records, stdout } = await runFixture();
    const reasons = Object.fromEntries(records.map((r) => [r.name, r.reason]));
    expect(reasons).toEqual({
      'needs Redis': 'skipped when !hasRedis',
      'a suite that needs Redis > is skipped with its suite': 'runs only when hasRedis',
      'skips itself at run time with a note': 'the engine is not installed',
      'is marked skip': 'marked .skip',
      'contract on an engine that is not installed > holds': 'skipped when options.skip ?? false',
    });
    expect(records.every((r) => r.file === 'skips.fixture.ts')).toBe(true);
    // The same run's vitest summary line gives the counts test.mjs adds up.
    const counts = stdout.split('\n').map(countsOf).find(Boolean);
    expect(counts).toEqual({ passed: 1, failed: 0, skipped: 5 });
  }, 60_000);

  it('counts passed, failed, skipped and todo from vitest\'s summary line, colours or not', () => {
    expect(countsOf('      Tests  12 passed | 1 failed | 3 skipped | 2 todo (18)')).toEqual({ passed: 12, failed: 1, skipped: 5 });
    expect(countsOf('\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m150 passed\x1b[39m\x1b[22m\x1b[2m | \x1b[22m\x1b[33m2 skipped\x1b[39m\x1b[90m (152)\x1b[39m'))
      .toEqual({ passed: 150, failed: 0, skipped: 2 });
    expect(countsOf(' Test Files  7 passed (7)')).toBeUndefined();
  });

  it('lists what was skipped and why, then ends with the line .ci/run parses', () => {
    const lines = summaryLines({ passed: 10, failed: 1, skipped: 2 }, [
      { package: 'lessons/12-pm2', file: 'test/redis.test.ts', name: 'coherent caches > a write', reason: 'skipped when redisMissing' },
      { package: 'shared', file: 'test/native.test.ts', name: 'addon loads', reason: 'skipped when !existsSync(addon)' },
    ]);
    expect(lines).toEqual([
      'Skipped (2):',
      '  lessons/12-pm2',
      '    test/redis.test.ts > coherent caches > a write: skipped when redisMissing',
      '  shared',
      '    test/native.test.ts > addon loads: skipped when !existsSync(addon)',
      '10 passed, 1 failed, 2 skipped',
    ]);
    // .ci/run's own pattern, read from the script, accepts the line.
    const ci = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8');
    const pattern = /grep -E '([^']+)' "\$log"/.exec(ci)?.[1];
    expect(pattern).toBeDefined();
    expect(new RegExp(pattern!).test(lines.at(-1)!)).toBe(true);
  });

  it('says so when vitest counted more skips than the reporter listed', () => {
    expect(summaryLines({ passed: 1, failed: 0, skipped: 3 }, [])).toEqual([
      '(vitest counted 3 skipped; 0 listed above)',
      '1 passed, 0 failed, 3 skipped',
    ]);
  });
});
