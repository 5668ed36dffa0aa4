// Every lesson README keeps the course's reading budget (STYLE.md, "READMEs that teach"), so a
// later edit that makes one too long to read in six minutes fails here, not in a review.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { breaches, lessonReadmes, measureReadme } from '../../scripts/readme-budget.mjs';

describe('lesson READMEs keep the reading budget', () => {
  it('counts words outside code blocks as wc -w does, the widest table, long pasted lines and machine paths', () => {
    const text = ['# Title', '<!-- measured -->', 'Two words.', '| a | b | c |', '```', 'x'.repeat(101), 'not counted at all', '```', 'see /work/main/x'].join('\n');
    const m = measureReadme(text);
    expect(m).toEqual({ words: 16, widestTable: 3, longCodeLines: [6], absolutePaths: [9] });
    expect(breaches(m)).toEqual(['code lines over 100 characters: 6', 'absolute paths on lines 9']);
  });

  for (const file of lessonReadmes()) {
    it(`${basename(dirname(file))}: at most 1,200 words outside code, tables of 6 columns, pasted lines of 100 characters, no machine paths`, () => {
      expect(breaches(measureReadme(readFileSync(file, 'utf8')))).toEqual([]);
    });
  }
});
