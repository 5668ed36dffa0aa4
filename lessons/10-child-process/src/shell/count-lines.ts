/**
 * Counting the lines of a file the user names, three ways. The first is the bug.
 *
 * `exec` hands one string to /bin/sh, so a file name such as `a.txt; rm -rf ~` is two
 * commands. `execFile` and `spawn` start the program directly with an argument array: no
 * shell parses it, and every byte of the name reaches `wc` as data.
 */
import { exec, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);

/** UNSAFE: shows shell injection. Never build a shell command from input like this. */
export async function countLinesWithExec(dir: string, name: string): Promise<string> {
  // LESSON: user input inside a shell string: `;`, `|`, `$()`, backticks all become syntax.
  const { stdout } = await execAsync(`wc -l ${name}`, { cwd: dir });
  return stdout;
}

/** Safe: no shell; `--` ends options, so a name starting with `-` is not a flag either. */
export async function countLinesWithExecFile(dir: string, name: string): Promise<number> {
  const { stdout } = await execFileAsync('wc', ['-l', '--', name], { cwd: dir });
  return Number.parseInt(stdout.trim().split(/\s+/)[0]!, 10);
}

/**
 * Safe, streaming: `spawn` for a long-running or large-output program (execFile buffers all
 * output in memory, up to `maxBuffer`): output arrives as a stream, chunk by chunk.
 */
export function countLinesWithSpawn(dir: string, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('wc', ['-l', '--', name], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Number.parseInt(out.trim().split(/\s+/)[0]!, 10));
      else reject(new Error(`wc exited with code ${code}: ${err.trim()}`));
    });
  });
}
