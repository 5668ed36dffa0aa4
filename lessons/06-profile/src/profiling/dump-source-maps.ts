/**
 * Preloaded into a profiled process (`--import tsx --import ./dump-source-maps.ts`): on exit,
 * writes the source maps tsx registered for the .ts files under PROFILE_SOURCE_ROOTS
 * (colon-separated folders) to PROFILE_SOURCE_MAPS, for the cpuprofile analyzer.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function* typeScriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* typeScriptFiles(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const output = process.env.PROFILE_SOURCE_MAPS;
const roots = (process.env.PROFILE_SOURCE_ROOTS ?? '').split(':').filter(Boolean);
if (output) {
  process.on('exit', () => {
    const dump: Record<string, unknown> = {};
    for (const root of roots) {
      for (const file of typeScriptFiles(root)) {
        const url = pathToFileURL(file).href;
        // Only files this process loaded have a map; the rest return undefined.
        const map = findSourceMap(url);
        if (map) dump[url] = map.payload;
      }
    }
    writeFileSync(output, JSON.stringify(dump));
  });
}
