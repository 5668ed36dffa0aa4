#!/usr/bin/env node
// Runs every lesson's bench, one at a time, and prints one table of reproduce verdicts: did
// this machine reproduce the ratios of each README's run (bench.reference.json)?
//
// Usage: npm run bench:all [-- <bench flags, e.g. --short>] [-- --only 03,05]
// Each lesson runs as a reader would run it: `npm run bench -- <flags>` in its folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const raw = process.argv.slice(2).filter((a) => a !== '--');
// --only is ours; every other flag goes to each bench unchanged.
const { values, tokens } = parseArgs({ args: raw, options: { only: { type: 'string' } }, strict: false, tokens: true });
const onlyIndexes = new Set(tokens.filter((t) => t.kind === 'option' && t.name === 'only').flatMap((t) => (t.inlineValue ? [t.index] : [t.index, t.index + 1])));
const passThrough = raw.filter((_, i) => !onlyIndexes.has(i));
const only = values.only ? new Set(String(values.only).split(',').map((s) => s.trim().padStart(2, '0'))) : undefined;

const lessons = readdirSync(join(root, 'lessons'))
  .filter((name) => /^\d\d-/.test(name) && (!only || only.has(name.slice(0, 2))))
  .filter((name) => {
    const pkg = join(root, 'lessons', name, 'package.json');
    return existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).scripts?.bench;
  })
  .sort();

const dir = mkdtempSync(join(tmpdir(), 'bench-all-'));
const verdictFile = join(dir, 'verdicts.jsonl');
const runs = [];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
try {
  for (const lesson of lessons) {
    console.error(`\n=== ${lesson}: npm run bench -- ${passThrough.join(' ')}`);
    const started = Date.now();
    const result = spawnSync(npm, ['run', 'bench', '--', ...passThrough], {
      cwd: join(root, 'lessons', lesson),
      stdio: 'inherit',
      env: { ...process.env, COURSE_BENCH_VERDICTS: verdictFile },
    });
    runs.push({ lesson, status: result.status ?? 1, seconds: Math.round((Date.now() - started) / 1000) });
  }
  const verdicts = existsSync(verdictFile)
    ? readFileSync(verdictFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
    : [];
  const ratio = (x) => (x === undefined ? '–' : x >= 10 ? `${x.toFixed(0)}x` : x >= 1 ? `${x.toFixed(1)}x` : `${x.toPrecision(2)}x`);
  const rows = [['lesson', 'ratio', 'this run', 'reference', 'verdict']];
  for (const v of verdicts) rows.push([v.lesson, v.ratio, ratio(v.mine), ratio(v.reference), v.verdict]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const smoke = verdicts.some((v) => v.smoke);
  console.log(`\nbench:all · ${new Date().toISOString().slice(0, 10)} · Node ${process.version}${smoke ? ' · SMOKE RUN (--short): verdicts indicative only' : ''}`);
  console.log(rows.map((r) => r.map((cell, c) => (c === 0 || c === 1 || c === 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n'));
  const counts = verdicts.reduce((acc, v) => ({ ...acc, [v.verdict]: (acc[v.verdict] ?? 0) + 1 }), {});
  console.log(`verdicts: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`);
  console.log(`lessons: ${runs.map((r) => `${r.lesson.slice(0, 2)} ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status})`} ${r.seconds} s`).join(', ')}`);
  process.exitCode = runs.some((r) => r.status !== 0) ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
