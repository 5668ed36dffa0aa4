import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countLinesWithExec, countLinesWithExecFile, countLinesWithSpawn } from '../src/shell/count-lines.ts';

describe('user input and the shell', () => {
  let dir: string;
  const hostile = 'notes.txt; echo INJECTED; touch pwned';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lesson-10-shell-'));
    writeFileSync(join(dir, 'notes.txt'), 'one\ntwo\nthree\n');
  });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  it('exec runs whatever the input smuggles in after a ";"', async () => {
    const stdout = await countLinesWithExec(dir, hostile);
    expect(stdout).toMatch(/3 notes\.txt/);
    expect(stdout).toMatch(/^INJECTED$/m);
    expect(readdirSync(dir)).toContain('pwned');
    rmSync(join(dir, 'pwned'));
  });

  it('execFile treats the same input as one file name: nothing runs, the file is just not found', async () => {
    await expect(countLinesWithExecFile(dir, hostile)).rejects.toThrow(/No such file/);
    expect(readdirSync(dir)).not.toContain('pwned');
  });

  it('spawn treats it as data too, and a name starting with "-" is not read as a flag', async () => {
    await expect(countLinesWithSpawn(dir, hostile)).rejects.toThrow(/No such file/);
    await expect(countLinesWithSpawn(dir, '--version')).rejects.toThrow(/No such file/);
    expect(readdirSync(dir)).not.toContain('pwned');
  });

  it('the safe variants count lines of an ordinary file, and of one with spaces and quotes', async () => {
    writeFileSync(join(dir, `it's a "file".txt`), 'a\nb\n');
    expect(await countLinesWithExecFile(dir, 'notes.txt')).toBe(3);
    expect(await countLinesWithSpawn(dir, `it's a "file".txt`)).toBe(2);
  });
});
