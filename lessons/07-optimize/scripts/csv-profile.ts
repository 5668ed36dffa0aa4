/**
 * `cd lessons/07-optimize && npm run profile:csv`: each CSV variant of src/assemble.ts in a
 * process of its own under `--cpu-prof` (scripts/csv-one.ts, 300 exports), then lesson 06's
 * analyzer on each profile: where each variant's time went. V8 builtins (Array.prototype.join,
 * String flattening inside Buffer.from's binding) have no frame of their own: their time is
 * the self time of the function that called them. Writes profiles/csv-<time>/ (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { analyzeCpuProfile, type CpuProfile } from 'lesson-06';

const one = fileURLToPath(new URL('./csv-one.ts', import.meta.url));
const dir = join(repoRoot, 'profiles', `csv-${new Date().toISOString().replace(/[:.]/g, '-')}`);
const runs = 300;
for (const variant of ['plus', 'join', 'concat']) {
  const out = join(dir, variant);
  mkdirSync(out, { recursive: true });
  const line = execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${out}`, ...tsxImportArgs, one, variant, String(runs)], { encoding: 'utf8' }).trim();
  const file = readdirSync(out).find((f) => f.endsWith('.cpuprofile'))!;
  const analysis = analyzeCpuProfile(JSON.parse(readFileSync(join(out, file), 'utf8')) as CpuProfile, { root: repoRoot, top: 5 });
  console.log(`\n${line}\n${'ms/export'.padStart(10)} ${'self%'.padStart(6)}  function  location`);
  for (const r of analysis.bySelf) console.log(`${(r.selfMs / runs).toFixed(2).padStart(10)} ${r.selfPercent.toFixed(1).padStart(6)}  ${r.name}  ${r.location}`);
}
console.log(`\nprofiles: ${relative(repoRoot, dir)} (open one in Chrome DevTools → Performance → Load profile)`);
