/**
 * `cd lessons/06-profile && npm run profile:prof [-- --target slow|fixed|express|http --seconds 10]`
 *
 * V8's own sampling profiler (`node --prof`) under load, then `node --prof-process` on the
 * main thread's isolate log. Writes profiles/prof-<target>-<time>/ (logs + processed.txt).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBench } from '@course/shared/bench';
import { pickMainIsolateLog } from './pick-main.ts';
import { parseProfileArgs } from './profile-args.ts';
import { profileDir, runUnderLoad, shown } from './under-load.ts';

/** The lines of a --prof-process section, from its header to the next blank-line header. */
function section(text: string, header: string, maxLines: number): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  if (start < 0) return [];
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line.startsWith(' ['));
  return [header, ...(end < 0 ? rest : rest.slice(0, end)).filter((line) => line.trim() !== '').slice(0, maxLines)];
}

runBench(async () => {
  const args = parseProfileArgs(process.argv.slice(2));
  const dir = profileDir('prof', args.target);
  const load = await runUnderLoad(args.target, {
    // LESSON: %p puts the pid in the name; V8 still writes one isolate-…-v8.log per isolate.
    nodeArgs: ['--prof', `--logfile=${join(dir, '%p-v8.log')}`],
    seconds: args.seconds,
    connections: args.connections,
  });
  console.log(`load: ${load.requests} requests, ${load.rate.toFixed(0)} req/s, p99 ${load.p99Ms} ms, non-2xx ${load.non2xx}${load.serverCpuMs === undefined ? '' : `; server CPU ${(load.serverCpuMs / 1000).toFixed(1)} s = ${((load.serverCpuMs * 1000) / Math.max(1, load.requests)).toFixed(0)} µs per request`}`);

  const logs = readdirSync(dir).filter((f) => /^isolate-.*-v8\.log$/.test(f)).map((f) => join(dir, f));
  const picked = pickMainIsolateLog(logs, args.target.sourceRoots);
  console.log(`${logs.length} isolate logs written; main thread: ${shown(picked.file)} (${picked.reason})`);

  const processed = spawnSync(process.execPath, ['--prof-process', picked.file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (processed.status !== 0) throw new Error(`node --prof-process failed: ${processed.stderr.trim().split('\n').pop()}`);
  const out = join(dir, 'processed.txt');
  writeFileSync(out, processed.stdout);
  console.log(['', ...section(processed.stdout, ' [Summary]:', 12), '', ...section(processed.stdout, ' [Bottom up (heavy) profile]:', 30)].join('\n'));
  // LESSON: two things in this report need a key, so print it beside them.
  console.log([
    '',
    'How to read it: "Unaccounted" counts ticks whose program counter falls in no code the log recorded',
    '(no JavaScript function, builtin or shared-library symbol covers it): time that was spent, but that',
    'this log cannot place (V8\'s tickprocessor). A position such as slow.ts:1:282 is',
    'line:column in the JavaScript tsx compiled the file to (one line per file), not a TypeScript line;',
    'profile:cpu maps positions back to TypeScript through the source maps.',
  ].join('\n'));
  console.log(`\nfull report: ${shown(out)}`);
});
