// A lesson builds only on shared/ and on earlier lessons, and never on another lesson's tests:
// a learner reading lesson N has met everything it imports. Checked from every lesson's
// package.json and from the import specifiers of every TypeScript/JavaScript file it holds.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const lessonsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'lessons');

interface Lesson { number: number; dir: string; name: string; pkg: { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; exports?: Record<string, string> } }

const lessons: Lesson[] = readdirSync(lessonsDir)
  .filter((name) => /^\d{2}-/.test(name) && existsSync(join(lessonsDir, name, 'package.json')))
  .map((name) => ({ number: Number(name.slice(0, 2)), dir: join(lessonsDir, name), name, pkg: JSON.parse(readFileSync(join(lessonsDir, name, 'package.json'), 'utf8')) }));
const byPackage = new Map(lessons.map((l) => [l.pkg.name, l]));

/**
 * Known, reported violations still to fix, each with why it is still there. The test fails on
 * any other violation, and on an entry here that no longer happens (remove it then).
 */
const knownLaterDependencies = new Map<string, string>([]);

/** Every .ts/.mts/.js/.mjs file of a lesson, outside node_modules and build output. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'build' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs|cjs)$/.test(name)) out.push(path);
  }
  return out;
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of source.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

/** The file a package specifier such as `lesson-11/testing` resolves to, through `exports`. */
function exportTarget(lesson: Lesson, subpath: string): string | undefined {
  const target = lesson.pkg.exports?.[subpath === '' ? '.' : `.${subpath}`];
  return target === undefined ? undefined : resolve(lesson.dir, target);
}

function violations(): string[] {
  const found = new Set<string>();
  for (const lesson of lessons) {
    const deps = { ...lesson.pkg.dependencies, ...lesson.pkg.devDependencies };
    for (const dep of Object.keys(deps)) {
      const other = byPackage.get(dep);
      if (other && other.number >= lesson.number) found.add(`${lesson.pkg.name} -> ${dep}`);
    }
    for (const [subpath, target] of Object.entries(lesson.pkg.exports ?? {})) {
      if (target.split('/').includes('test')) found.add(`${lesson.pkg.name} exports ${subpath} from its tests (${target})`);
    }
    for (const file of sourceFiles(lesson.dir)) {
      const where = relative(lessonsDir, file);
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const pkgMatch = /^(lesson-\d+)(\/.*)?$/.exec(spec);
        let target: string | undefined;
        let other: Lesson | undefined;
        if (pkgMatch) {
          other = byPackage.get(pkgMatch[1]!);
          if (!other) continue;
          if (other.number >= lesson.number) found.add(`${lesson.pkg.name} -> ${other.pkg.name}`);
          target = exportTarget(other, pkgMatch[2] ?? '');
        } else if (spec.startsWith('.')) {
          target = resolve(dirname(file), spec);
          other = lessons.find((l) => target!.startsWith(l.dir + sep));
          if (!other || other === lesson) continue;
          found.add(`${where} imports another lesson's file by path: ${spec}`);
        }
        if (other && other !== lesson && target && relative(other.dir, target).split(sep)[0] === 'test') {
          found.add(`${where} imports ${other.pkg.name}'s tests: ${spec}`);
        }
      }
    }
  }
  return [...found].sort();
}

describe('lessons build on earlier lessons only', () => {
  it('finds every lesson and reads its dependencies', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(13);
    expect(byPackage.get('lesson-13')?.pkg.dependencies).toHaveProperty('@course/shared');
  });

  it('no package.json names a later lesson, no lesson imports a later one or another lesson\'s tests', () => {
    const found = violations();
    expect(found.filter((v) => !knownLaterDependencies.has(v))).toEqual([]);
    // A known violation that is gone must leave the list, so the list stays true.
    expect([...knownLaterDependencies.keys()].filter((k) => !found.includes(k))).toEqual([]);
  });
});
