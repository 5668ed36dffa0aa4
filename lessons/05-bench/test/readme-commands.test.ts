import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '@course/shared/bench';
import { parseAbArgs } from '../src/ab-args.ts';
import { parseOpenLoopArgs } from '../src/open-loop/cli.ts';

const lessonDir = fileURLToPath(new URL('../', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Every `npm run <script> -- <args>` in the README's shell blocks, as [script, args]. */
function documentedCommands(): [string, string[]][] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const commands: [string, string[]][] = [];
  for (const line of blocks.join('\n').split('\n')) {
    const m = /npm run (?:-s )?([\w:]+)(?: -- (.*?))?\s*(?:>|#|$)/.exec(line);
    if (!m) continue;
    commands.push([m[1]!, (m[2] ?? '').trim().split(/\s+/).filter(Boolean)]);
  }
  return commands;
}

describe('every command the README documents', () => {
  it('finds the documented commands', () => {
    const scripts = documentedCommands().map(([script]) => script);
    expect(scripts).toEqual(expect.arrayContaining(['bench:load', 'bench:open', 'bench', 'compare']));
  });

  it('parses as written, with the leading -- npm passes through', () => {
    for (const [script, args] of documentedCommands()) {
      // -p paths are relative to the lesson folder, where the README runs them.
      const argv = ['--', ...args.map((a) => (a.startsWith('fixtures/') ? `${lessonDir}${a}` : a))];
      if (script === 'bench:load') expect(() => parseAbArgs(argv), args.join(' ')).not.toThrow();
      if (script === 'bench:open') expect(() => parseOpenLoopArgs(argv), args.join(' ')).not.toThrow();
      if (script === 'bench') expect(() => parseBenchArgs(argv, {}, { part: { type: 'string' } }), args.join(' ')).not.toThrow();
      if (script === 'compare') expect(() => parseBenchArgs(argv, {}, { path: { type: 'string' } }), args.join(' ')).not.toThrow();
    }
  });
});
