/**
 * `--prof` and `--cpu-prof` write one file per V8 isolate. Where tsx runs its module hooks on
 * a loader thread of its own (`module.register`: Node 20, older 22 and 24), that is two files
 * per run, and only the main thread's served requests; where it hooks in on the main thread
 * (`module.registerHooks`: Node 26, 24.11+, 22.22+), or with Node's own type stripping, there
 * is one. These pick the main thread's file either way, and say why.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';

/** The chosen file and the reason, printed for the reader. */
export interface Picked {
  file: string;
  reason: string;
}

/**
 * `--cpu-prof` names files `CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile`, and the main
 * thread's id is 0: the name alone tells.
 */
export function pickMainCpuProfile(files: readonly string[]): Picked {
  const main = files.filter((f) => basename(f).split('.')[4] === '0');
  if (main.length !== 1) {
    throw new Error(`expected one main-thread profile (thread id 0) among ${files.map((f) => basename(f)).join(', ') || 'no files'}`);
  }
  const others = files.length - 1;
  return { file: main[0]!, reason: others === 0 ? 'thread id 0 in the file name; the only profile (no loader thread)' : `thread id 0 in the file name (the other ${others} file(s): loader thread)` };
}

/**
 * `--prof` names files `isolate-<address>-<pid>-v8.log`, with no thread id, and every
 * isolate ticks at the same rate, so size does not tell either. The main isolate is the one
 * that compiled the server's code: its log has code-creation lines naming `markers` (paths
 * of the server's source folders); the loader's log only names tsx and esbuild.
 */
export function pickMainIsolateLog(files: readonly string[], markers: readonly string[]): Picked {
  if (files.length === 0) throw new Error('no isolate-*.log files were written');
  const scored = files.map((file) => {
    const text = readFileSync(file, 'latin1');
    const hits = markers.reduce((sum, marker) => sum + text.split(marker).length - 1, 0);
    return { file, hits, size: statSync(file).size };
  });
  scored.sort((a, b) => b.hits - a.hits || b.size - a.size);
  const best = scored[0]!;
  if (best.hits === 0) throw new Error(`no isolate log mentions ${markers.join(' or ')}`);
  const others = scored.slice(1).map((s) => `${basename(s.file)}: ${s.hits}`).join(', ');
  return { file: best.file, reason: `${best.hits} lines name the server's sources (others: ${others || 'none'})` };
}
