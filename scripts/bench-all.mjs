#!/usr/bin/env node
// Runs every lesson's bench, one at a time, prints one table of ratios with their 95% intervals
// and reproduce verdicts (did this machine reproduce each README's run, bench.reference.json?),
// and writes results/summary.json (its shape: CONTRACT.md, "npm run bench:all writes").
//
// Usage: npm run bench:all [-- <bench flags, e.g. --short>] [-- --only 03,05]
// Each lesson runs as a reader would run it: `npm run bench -- <flags>` in its folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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
const startedAll = Date.now();
const date = new Date().toISOString();
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
  const records = existsSync(verdictFile)
    ? readFileSync(verdictFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
    : [];
  const smoke = passThrough.includes('--short') || records.some((r) => r.smoke);
  const seconds = Math.round((Date.now() - startedAll) / 1000);
  const fmt = (x) => (x === undefined || !Number.isFinite(x) ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));
  const withCi = (x, ci) => (x === undefined ? '–' : `${fmt(x)}x${ci ? ` (${fmt(ci.low)}–${fmt(ci.high)})` : ''}`);
  const rows = [['lesson', 'ratio', 'this run (95% CI)', 'reference (95% CI)', smoke ? 'smoke: no verdict' : 'status · verdict']];
  for (const r of records) {
    rows.push([r.lesson, `${r.ratio}${r.aa ? ' (noise floor)' : ''}`, withCi(r.rate, smoke ? undefined : r.rateCi), withCi(r.reference?.rate, r.reference?.rateCi), smoke ? '' : `${r.status} · ${r.verdict}`]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  console.log(`\nbench:all · ${date.slice(0, 10)} · ${availableParallelism()} cores · Node ${process.version}${smoke ? ' · SMOKE RUN (--short): no findings, no verdicts' : ''}`);
  console.log(rows.map((row) => row.map((cell, c) => (c === 0 || c === 1 || c === 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n'));
  if (!smoke) {
    const counts = records.reduce((acc, r) => ({ ...acc, [r.verdict]: (acc[r.verdict] ?? 0) + 1 }), {});
    console.log(`verdicts: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`);
  }
  console.log(`lessons: ${runs.map((r) => `${r.lesson.slice(0, 2)} ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status})`} ${r.seconds} s`).join(', ')}`);
  const summary = {
    date, node: process.version, cores: availableParallelism(), smoke, seconds,
    lessons: runs.map((r) => ({ lesson: r.lesson, status: r.status === 0 ? 'ok' : 'failed', seconds: r.seconds })),
    ratios: records.map((r) => ({
      lesson: r.lesson, title: r.title, ratio: r.ratio, rate: r.rate, ...(r.rateCi ? { rateCi: r.rateCi } : {}),
      ...(r.cpuPerRequest === undefined ? {} : { cpuPerRequest: r.cpuPerRequest }), ...(r.cpuCi ? { cpuCi: r.cpuCi } : {}),
      status: r.status, verdict: r.verdict, aa: r.aa === true, ...(r.reference ? { reference: r.reference } : {}),
    })),
  };
  mkdirSync(join(root, 'results'), { recursive: true });
  writeFileSync(join(root, 'results', 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`summary: results/summary.json · took ${Math.floor(seconds / 60)} min ${seconds % 60} s`);
  process.exitCode = runs.some((r) => r.status !== 0) ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
