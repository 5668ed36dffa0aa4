/**
 * `cd lessons/06-profile && npm run profile:flame [-- --target slow|fixed|express|http --seconds 10]`
 *
 * A flame graph with 0x: 0x starts the server under `--prof`, we load it with autocannon on
 * the port 0x detects, 0x collects the isolate log and renders HTML.
 *
 * The tsx trap: 0x keeps the first isolate log whose name has the pid, and tsx's loader
 * thread writes one with the same pid. So we collect only, check which log 0x kept
 * (pickMainIsolateLog), swap in the main thread's when 0x kept the loader's, and then let
 * 0x render from that folder.
 */
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import zeroEks from '0x';
import { runAutocannon, runBench, tsxImportArgs } from '@course/shared/bench';
import { pickMainIsolateLog } from './pick-main.ts';
import { parseProfileArgs } from './profile-args.ts';
import { profileDir, shown } from './under-load.ts';

const isolateLog = /^isolate-.*-v8\.log$/;

runBench(async () => {
  const args = parseProfileArgs(process.argv.slice(2));
  const dir = profileDir('flame', args.target);
  const work = join(dir, 'work');
  // 0x's --logfile points into it; V8 falls back to stdout when the folder is missing.
  mkdirSync(work);
  // 0x passes our environment to the server: port 0 (0x finds the real one), the target's DB.
  Object.assign(process.env, { PORT: '0', HOST: '127.0.0.1', ...args.target.env });

  console.log(`profiling ${args.target.description} under 0x for ${args.seconds} s, ${args.connections} connections`);
  const folder = await zeroEks({
    argv: [...tsxImportArgs, args.target.entry],
    workingDir: work,
    outputDir: dir,
    name: 'flamegraph',
    title: `lesson-06 · ${args.target.description}`,
    collectOnly: true,
    pathToNodeBinary: process.execPath,
    // LESSON: the load runs while 0x samples; when it is done, 0x stops the server.
    onPort: (port, done) => {
      runAutocannon(`http://127.0.0.1:${port}`, args.seconds, args.connections, { requests: args.target.requests }).then(
        (result) => { console.log(`load: ${result.requests.total} requests, ${(result.requests.total / result.duration).toFixed(0)} req/s`); done(); },
        (error: Error) => done(error),
      );
    },
  });

  const kept = readdirSync(folder).filter((f) => isolateLog.test(f)).map((f) => join(folder, f));
  const left = readdirSync(work).filter((f) => isolateLog.test(f)).map((f) => join(work, f));
  const picked = pickMainIsolateLog([...kept, ...left], args.target.sourceRoots);
  if (!kept.includes(picked.file)) {
    console.log(`0x kept ${kept.map((f) => basename(f)).join(', ')}, a loader-thread log: swapping in ${basename(picked.file)}`);
    for (const f of readdirSync(folder)) if (f.startsWith('isolate-')) rmSync(join(folder, f));
    renameSync(picked.file, join(folder, basename(picked.file)));
  } else {
    console.log(`0x kept ${basename(picked.file)}, the main thread's log (${picked.reason})`);
  }
  // workingDir: process.cwd(), because 0x turns an absolute visualizeOnly folder into a path
  // relative to workingDir and then reads it relative to the current directory.
  const html = await zeroEks({ argv: [], visualizeOnly: folder, workingDir: process.cwd(), name: 'flamegraph', pathToNodeBinary: process.execPath });
  rmSync(work, { recursive: true, force: true });
  console.log(`flame graph: ${shown(html.replace(/^file:\/\//, ''))} (open it in a browser; wide plateaus at the top are where the CPU was)`);
});
