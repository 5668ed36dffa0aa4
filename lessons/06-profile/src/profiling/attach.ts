/**
 * `cd lessons/06-profile && npm run inspect:attach [-- --target slow|fixed|express|http --seconds 5]`
 *
 * Profiles a server that was started WITHOUT any profiling flag: start it, open its inspector
 * with SIGUSR1, record a CPU profile over the DevTools Protocol while autocannon loads it,
 * close the inspector again. Also shows why the inspector must never listen on a public
 * address: whoever reaches the port runs any code in the process (here: `process.pid`).
 * Writes profiles/attach-<target>-<time>/attached.cpuprofile (git-ignored).
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@course/shared';
import { runAutocannon, runBench, tsxImportArgs } from '@course/shared/bench';
import { analyzeCpuProfile, formatAnalysis, type CpuProfile } from './analyze-cpuprofile.ts';
import { connectInspector, openInspectorWithSignal } from './inspector-client.ts';
import { parseProfileArgs } from './profile-args.ts';
import { locateWithSourceMaps, type SourceMapDump } from './source-maps.ts';
import { profileDir, shown } from './under-load.ts';

runBench(async () => {
  const args = parseProfileArgs(process.argv.slice(2), { seconds: 5 });
  const dir = profileDir('attach', args.target);
  // No profiling flag at all; --inspect-port=0 only says which port SIGUSR1 will open (any free
  // one, so two readers on one machine do not collide on 9229).
  const child = fork(args.target.entry, [], {
    execArgv: [...tsxImportArgs, '--inspect-port=0'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...args.target.env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.on('message', (m: { type?: string; url?: string }) => { if (m?.type === 'listening' && m.url) resolve(m.url); });
      child.once('exit', (code) => reject(new Error(`the server exited before listening (code ${code})`)));
    });
    console.log(`started ${args.target.description} without --inspect (pid ${child.pid}, ${url})`);

    const wsUrl = await openInspectorWithSignal(child);
    const http = wsUrl.replace(/^ws:/, 'http:').replace(/\/[^/]*$/, '');
    const [target] = (await (await fetch(`${http}/json/list`)).json()) as { title: string; type: string }[];
    console.log(`kill -USR1 ${child.pid}: inspector open on ${wsUrl} (${http}/json/list lists "${target?.title}", type ${target?.type})`);

    const inspector = await connectInspector(wsUrl);
    // LESSON: the inspector runs any code it is sent. On 0.0.0.0 that is anyone on the network.
    const { result } = await inspector.send<{ result: { value: unknown } }>('Runtime.evaluate', { expression: 'process.pid', returnByValue: true });
    console.log(`Runtime.evaluate("process.pid") ran inside the server and returned ${String(result.value)}: whoever reaches this port can run any code there`);

    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.start');
    const load = await runAutocannon(url, args.seconds, args.connections, { requests: args.target.requests });
    const { profile } = await inspector.send<{ profile: CpuProfile }>('Profiler.stop');
    console.log(`load: ${load.requests.total} requests in ${args.seconds} s while profiling over the inspector`);

    // tsx's source maps live in the server; ask it for them, through the same connection.
    const urls = [...new Set(profile.nodes.map((n) => n.callFrame.url).filter((u) => u.startsWith('file:') && u.endsWith('.ts')))];
    const maps = await inspector.send<{ result: { value: string } }>('Runtime.evaluate', {
      expression: `JSON.stringify(Object.fromEntries(${JSON.stringify(urls)}.map((u) => [u, process.getBuiltinModule('node:module').findSourceMap(u)?.payload]).filter((e) => e[1])))`,
      returnByValue: true,
    });
    // Close the port again; the server keeps serving.
    await inspector.send('Runtime.evaluate', { expression: "process.getBuiltinModule('node:inspector').close()" }).catch(() => undefined);
    inspector.close();
    const closed = await fetch(`${http}/json/list`).then(() => false, () => true);
    console.log(`inspector closed again from inside (inspector.close()): ${closed ? 'the port refuses connections' : 'STILL OPEN'}; the server still answers: HTTP ${(await fetch(`${url}/health`)).status}`);

    const file = join(dir, 'attached.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    const analysis = analyzeCpuProfile(profile, { locate: locateWithSourceMaps(JSON.parse(maps.result.value) as SourceMapDump, repoRoot), root: repoRoot, top: 8 });
    console.log(`\n${formatAnalysis(analysis).split('\n\nTop functions by TOTAL')[0]}\n\nwritten: ${shown(file)}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
