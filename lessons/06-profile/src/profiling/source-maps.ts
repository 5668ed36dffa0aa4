/**
 * Readable file:line for TypeScript run through tsx.
 *
 * tsx compiles each .ts file in memory (esbuild) and registers a source map for it; a
 * cpuprofile records positions in that generated code, which are meaningless to a reader.
 * So the profiled process dumps the source maps of the files we care about when it exits
 * (see dump-source-maps.ts), and the analyzer maps positions back through them.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locate } from './analyze-cpuprofile.ts';

/** `{ [file URL]: source map payload }`, as dump-source-maps.ts writes it. */
export type SourceMapDump = Record<string, SourceMapPayload>;

/** A {@link Locate} that maps through the dumped source maps; `root` shortens paths. */
export function locateWithSourceMaps(dump: SourceMapDump, root: string): Locate {
  const maps = new Map(Object.entries(dump).map(([url, payload]) => [url, new SourceMap(payload)]));
  return (url, line, column) => {
    const map = maps.get(url);
    if (!map) return undefined;
    const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource;
    return `${relative(root, source)}:${entry.originalLine + 1}`;
  };
}

/** Reads a dump written by dump-source-maps.ts. */
export function readSourceMapDump(path: string): SourceMapDump {
  return JSON.parse(readFileSync(path, 'utf8')) as SourceMapDump;
}
