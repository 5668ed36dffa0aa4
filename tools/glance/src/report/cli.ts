/**
 * `npm run report`: builds results/report.html, one self-contained page, from results/ and the
 * lessons' reference files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '@course/shared';
import { collect } from './collect.ts';
import { buildHtml } from './html.ts';

const isMain = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isMain) {
  const data = collect(repoRoot);
  const out = join(repoRoot, 'results', 'report.html');
  mkdirSync(join(repoRoot, 'results'), { recursive: true });
  writeFileSync(out, buildHtml(data));
  const runs = data.lessons.reduce((n, l) => n + l.runs.length, 0);
  const missing = data.lessons.filter((l) => l.runs.length === 0).map((l) => l.id);
  console.log(`wrote ${relative(repoRoot, out)}: scoreboard ${data.scoreboard ? (data.scoreboard.smoke ? 'from a SMOKE RUN' : 'yes') : 'not run yet'}, ${runs} bench result(s) from ${data.lessons.length - missing.length} lesson(s)${missing.length > 0 ? `; not run yet: ${missing.join(', ')}` : ''}`);
  for (const problem of [...data.problems, ...data.lessons.flatMap((l) => l.problems.map((p) => `${l.id}: ${p}`))]) console.log(`  skipped ${problem}`);
  console.log(`open it: file://${out}`);
}
