/**
 * `cd lessons/06-profile && npm run inspect [-- --target slow|fixed|express|http]`
 *
 * Starts the server paused on its first line with the inspector on 127.0.0.1:9229 and says
 * what to do in Chrome. Ctrl+C stops it.
 */
import { spawn } from 'node:child_process';
import { runBench, tsxImportArgs } from '@course/shared/bench';
import { parseProfileArgs } from './profile-args.ts';

runBench(async () => {
  const args = parseProfileArgs(process.argv.slice(2));
  const port = 9229;
  console.log(`Starting ${args.target.description} with --inspect-brk=127.0.0.1:${port} (paused before the first line runs).

In Chrome (or Edge, Brave…):
  1. Open chrome://inspect
  2. Under "Remote Target" you should see "${args.target.entry}". If not: "Configure…" → add 127.0.0.1:${port}.
  3. Click "inspect". DevTools opens, paused. On Node 20, tsx's loader thread may be the first stop: press F8 (Resume) until the server logs "listening".
  4. Performance tab → Record (or the "Profiler"/"JavaScript Profiler" panel → Start), then send load from another terminal:
       (cd lessons/05-bench && npm run bench:load -- -c 10 -t 10 "http://127.0.0.1:${process.env.PORT ?? '3006'}${args.target.requests.find((r) => r.method === 'GET')?.path ?? '/'}")
     Stop the recording: the flame chart and the Bottom-Up tab show the same functions profile:cpu prints.
  5. Memory tab → Take heap snapshot, to see what the process holds (lesson 08).
Ctrl+C here stops the server.
`);
  const child = spawn(process.execPath, [`--inspect-brk=127.0.0.1:${port}`, ...tsxImportArgs, args.target.entry], {
    stdio: 'inherit',
    env: { ...process.env, ...args.target.env },
  });
  // Ctrl+C reaches the child through the terminal's process group; a SIGTERM sent to us alone
  // is passed on. Either way we wait for the server to finish.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 0 : 1))));
  if (code !== 0) throw new Error(`server exited with code ${code}`);
});
