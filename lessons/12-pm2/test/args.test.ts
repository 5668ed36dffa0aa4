/**
 * Every command line the README documents parses: `npm run <script> -- <args>` passes the
 * arguments alone, `pnpm --filter lesson-12 <script> -- <args>` passes the `--` too. Both
 * forms of each README line go through the script's own parser.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBenchArgs } from '@course/shared/bench';
import { ArgsError, parseCliArgs, parseMemoryDemoArgs, parseNoArgs, parseProcessesArgs, parseStartArgs } from '../src/args.ts';
import { pm2Sandbox, runScript } from './helpers.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** `npm run <script> [-- args]` and `npm start`/`npm test` lines in the README's shell blocks. */
function documentedCommands(): { script: string; args: string[] }[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const commands: { script: string; args: string[] }[] = [];
  for (const line of blocks.join('\n').split('\n')) {
    const command = line.replace(/#.*$/, '').trim();
    const run = /(?:^|&& |\s)npm (?:run ([\w:-]+)|(start|test))((?: \S+)*)$/.exec(command);
    if (!run) continue;
    const args = run[3]!.trim().split(/\s+/).filter(Boolean);
    commands.push({ script: run[1] ?? run[2]!, args: args[0] === '--' ? args.slice(1) : args });
  }
  return commands;
}

/** The parser each package.json script runs, by the file it starts. */
function parserFor(script: string): ((argv: string[]) => unknown) | undefined {
  const line = pkg.scripts[script] ?? '';
  if (line.includes('src/cli.ts')) return (argv) => parseCliArgs([...line.split('src/cli.ts')[1]!.trim().split(/\s+/), ...argv]);
  if (line.includes('src/list-processes.ts')) return parseProcessesArgs;
  if (line.includes('src/memory-demo.ts')) return parseMemoryDemoArgs;
  if (line.includes('src/start.ts')) return (argv) => parseStartArgs(argv, {});
  if (line.includes('src/startup-preview.ts')) return parseNoArgs;
  if (line.includes('bench')) return (argv) => parseBenchArgs(argv, {}, { workers: { type: 'string' }, runs: { type: 'string' } });
  if (line.startsWith('vitest')) return () => undefined;
  return undefined;
}

describe('the README command lines', () => {
  const commands = documentedCommands();

  it('documents the lesson\'s commands in the npm form', () => {
    expect(commands.map((c) => c.script)).toEqual(expect.arrayContaining(['start', 'status', 'reload', 'processes', 'memory-demo', 'stop', 'bench', 'bench:reload']));
    expect(commands.some((c) => c.script === 'processes' && c.args.includes('--reload-above'))).toBe(true);
  });

  it.each(documentedCommands().map((c) => [`npm run ${c.script} ${c.args.join(' ')}`.trim(), c] as const))('%s parses, with and without a leading --', (_name, c) => {
    const parse = parserFor(c.script);
    expect(parse, `no parser known for script "${c.script}"`).toBeDefined();
    expect(() => parse!(c.args)).not.toThrow();
    expect(() => parse!(['--', ...c.args])).not.toThrow();
  });
});

describe('the parsers', () => {
  it('read --reload-above after a pnpm-style --', () => {
    expect(parseProcessesArgs(['--', '--reload-above', '300'])).toEqual({ json: false, reloadAboveMb: 300 });
  });

  it('reject a bad value or an unknown option with an ArgsError naming it', () => {
    expect(() => parseProcessesArgs(['--reload-above', 'lots'])).toThrow(/--reload-above must be a number/);
    expect(() => parseMemoryDemoArgs(['--', '--secs', '3'])).toThrow(ArgsError);
    expect(() => parseCliArgs(['restart'])).toThrow(/usage: cli.ts status\|logs\|reload/);
  });

  it('pass pm2 options after the command through', () => {
    expect(parseCliArgs(['logs', '--', '--nostream'])).toEqual({ command: 'logs', rest: ['--nostream'] });
  });
});

describe('the scripts themselves', () => {
  it('processes -- --reload-above 300 runs (no daemon: says so and exits 0)', async () => {
    const sandbox = pm2Sandbox('args', 1);
    try {
      const result = await runScript('src/list-processes.ts', ['--', '--reload-above', '300'], sandbox.env);
      expect(result.stderr).not.toContain('ERR_PARSE_ARGS');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('no pm2 daemon running');
    } finally {
      await sandbox.cleanup();
    }
  }, 60_000);

  it('memory-demo -- --seconds 0 is refused with exit 2 and the reason', async () => {
    const sandbox = pm2Sandbox('args-demo', 1);
    try {
      const result = await runScript('src/memory-demo.ts', ['--', '--seconds', '0'], sandbox.env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--seconds must be > 0');
    } finally {
      await sandbox.cleanup();
    }
  }, 60_000);
});
