#!/usr/bin/env node
// The reading budget of a lesson README (STYLE.md, "READMEs that teach"): at most 1,200 words
// outside code blocks (tables count; words as `awk '/^```/{c=!c; next} !c' README.md | wc -w`), tables of at most 6 columns, no line over 100 characters
// inside code blocks (pasted output), no absolute path of the machine a run was made on.
// Usage: node scripts/readme-budget.mjs [README.md …]   (default: every lesson's README)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const budget = { words: 1200, columns: 6, codeLine: 100 };

/** What a README spends against the budget, and where it overspends. */
export function measureReadme(text) {
  let inCode = false;
  let words = 0;
  let widestTable = 0;
  const longCodeLines = [];
  const absolutePaths = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) { inCode = !inCode; return; }
    if (inCode) {
      if (line.length > budget.codeLine) longCodeLines.push(i + 1);
    } else {
      // Counted as `wc -w` counts: every whitespace-separated token (table pipes, bullets and
      // heading marks included), so the budget is the one any reader can check with awk and wc.
      words += line.split(/\s+/).filter(Boolean).length;
      if (/^\s*\|/.test(line)) widestTable = Math.max(widestTable, line.replace(/\\\|/g, '').split('|').length - 2);
    }
    if (/(^|[\s`(])\/(work|root|home|Users)\//.test(line)) absolutePaths.push(i + 1);
  });
  return { words, widestTable, longCodeLines, absolutePaths };
}

/** The budget's breaches, as sentences; empty when the README keeps to it. */
export function breaches(m) {
  const out = [];
  if (m.words > budget.words) out.push(`${m.words} words outside code (at most ${budget.words})`);
  if (m.widestTable > budget.columns) out.push(`a table of ${m.widestTable} columns (at most ${budget.columns})`);
  if (m.longCodeLines.length) out.push(`code lines over ${budget.codeLine} characters: ${m.longCodeLines.join(', ')}`);
  if (m.absolutePaths.length) out.push(`absolute paths on lines ${m.absolutePaths.join(', ')}`);
  return out;
}

/** Every lesson README of the repository. */
export function lessonReadmes(root = join(dirname(fileURLToPath(import.meta.url)), '..')) {
  return readdirSync(join(root, 'lessons')).filter((d) => /^\d\d-/.test(d)).sort().map((d) => join(root, 'lessons', d, 'README.md'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : lessonReadmes();
  let bad = 0;
  for (const file of files) {
    const m = measureReadme(readFileSync(file, 'utf8'));
    const b = breaches(m);
    if (b.length) bad++;
    console.log(`${relative(process.cwd(), file)}: ${m.words} words, widest table ${m.widestTable}${b.length ? ` — OVER: ${b.join('; ')}` : ''}`);
  }
  process.exit(bad ? 1 : 0);
}
