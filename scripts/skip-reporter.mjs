// A vitest reporter that records every skipped test and why, for scripts/test.mjs's summary.
// It appends one JSON line per skipped test to the file named by COURSE_SKIP_REPORT (nothing
// when that is unset, so a lesson's own `npx vitest run` is unchanged).
//
// Why a test was skipped: the note of `ctx.skip(note)` when there is one; otherwise the
// condition written in the source (`it.skipIf(!hasRedis)(...)` gives "skipped when
// !hasRedis"), found by the title of the test or of the suite that carries the skipIf/runIf.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The other .ts/.js files beside a test file: helpers that may register suites. */
function siblingSources(file) {
  try {
    return readdirSync(dirname(file))
      .filter((name) => /\.(ts|mts|js|mjs)$/.test(name) && join(dirname(file), name) !== file)
      .map((name) => readFileSync(join(dirname(file), name), 'utf8'));
  } catch {
    return [];
  }
}

/** `skipIf(cond)(` / `runIf(cond)(` / `.skip(` / `.todo(` on a source line, as a sentence. */
export function conditionOn(line) {
  const call = /\.(skipIf|runIf)\((.*)\)\s*\(\s*[`'"]/.exec(line);
  if (call) return call[1] === 'skipIf' ? `skipped when ${call[2].trim()}` : `runs only when ${call[2].trim()}`;
  if (/\b(?:it|test|describe)\.skip\(/.test(line)) return 'marked .skip';
  if (/\b(?:it|test|describe)\.todo\(/.test(line)) return 'marked .todo';
  return undefined;
}

/** The reason written in `source` for the test or suite titled `name`, if any. */
export function reasonInSource(source, name) {
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    // A plain title appears as it is; a template title (`contract on ${label}`) by the literal
    // text before its first `${`, which must start the name.
    const template = /\(\s*`([^`$]*)\$\{/.exec(lines[i]);
    if (!lines[i].includes(name) && !(template && template[1].length > 0 && name.startsWith(template[1]))) continue;
    // The call may sit on the line before the title when a formatter wrapped it.
    const found = conditionOn(lines[i]) ?? (i > 0 ? conditionOn(`${lines[i - 1]}${lines[i].trim()}`) : undefined);
    if (found) return found;
  }
  return undefined;
}

/** Why `test` was skipped: its note, or the outermost skipIf/runIf/skip on it or its suites. */
export function skipReason(test, source, helpers = []) {
  const note = test.result().note;
  if (note) return note;
  let reason;
  for (let node = test; node && node.type !== 'module'; node = node.parent) {
    if (node.options.mode !== 'skip' && node.options.mode !== 'todo') continue;
    // A suite registered by a helper (a shared contract) carries its condition in that file.
    reason = reasonInSource(source, node.name) ?? helpers.map((text) => reasonInSource(text, node.name)).find(Boolean) ?? reason;
  }
  if (reason) return reason;
  if (test.options.mode === 'run') return 'skipped at run time without a note';
  return 'no reason found in the source (a skipIf in a helper, or .only elsewhere)';
}

export default class SkipReporter {
  onInit(vitest) {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules) {
    const file = process.env.COURSE_SKIP_REPORT;
    if (!file) return;
    for (const module of testModules) {
      let source = '';
      try { source = readFileSync(module.moduleId, 'utf8'); } catch { /* reason falls back */ }
      const helpers = siblingSources(module.moduleId);
      for (const test of module.children.allTests()) {
        if (test.result().state !== 'skipped') continue;
        const line = {
          root: this.root,
          file: relative(this.root, module.moduleId),
          name: test.fullName,
          reason: skipReason(test, source, helpers),
        };
        appendFileSync(file, `${JSON.stringify(line)}\n`);
      }
    }
  }
}
