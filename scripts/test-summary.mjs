// The counting and the closing lines of scripts/test.mjs, apart so a test can check them.
// The last line, "N passed, M failed, K skipped", is parsed by .ci/run.

/** Counts from one vitest summary line ("      Tests  12 passed | 1 failed | 3 skipped (16)"), or undefined. */
export function countsOf(rawLine) {
  const line = rawLine.replace(/\x1b\[[0-9;]*m/g, '');
  if (!/^\s*Tests\s+\d/.test(line)) return undefined;
  const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  // vitest lists `todo` tests apart from skipped ones; neither ran, so both count as skipped.
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') + count('todo') };
}

/**
 * The closing lines: what was skipped and why (one line per test, grouped by package), then
 * the summary line. `skips` are the records of scripts/skip-reporter.mjs ({ package, file, name, reason }).
 */
export function summaryLines({ passed, failed, skipped }, skips) {
  const lines = [];
  if (skips.length > 0) {
    lines.push(`Skipped (${skips.length}):`);
    let lastPackage;
    for (const skip of skips) {
      if (skip.package !== lastPackage) lines.push(`  ${skip.package}`);
      lastPackage = skip.package;
      lines.push(`    ${skip.file} > ${skip.name}: ${skip.reason}`);
    }
  }
  // The reporter cannot see a package whose vitest run crashed before its summary; say so
  // rather than print a list shorter than the count.
  if (skips.length !== skipped) lines.push(`(vitest counted ${skipped} skipped; ${skips.length} listed above)`);
  lines.push(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return lines;
}
