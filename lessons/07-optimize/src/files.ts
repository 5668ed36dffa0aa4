/**
 * The large file the download routes serve: generated, never committed.
 */
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { repoRoot } from '@course/shared';

/** Default folder for generated files (inside the repo's ignored data/ folder). */
export const defaultFilesDir = join(repoRoot, 'data', 'lesson-07');

/**
 * Writes `bytes` of deterministic, incompressible-looking data to `path`, 1 MiB at a time,
 * honouring backpressure; skips the work when a file of that size is already there.
 * @returns the path
 */
export async function makeFile(path: string, bytes: number): Promise<string> {
  if (existsSync(path) && statSync(path).size === bytes) return path;
  mkdirSync(join(path, '..'), { recursive: true });
  const chunk = Buffer.alloc(1024 * 1024);
  let state = 0x9e3779b9;
  for (let i = 0; i < chunk.length; i += 4) {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    chunk.writeUInt32LE(state >>> 0, i);
  }
  const out = createWriteStream(path);
  for (let written = 0; written < bytes; written += chunk.length) {
    const piece = bytes - written >= chunk.length ? chunk : chunk.subarray(0, bytes - written);
    if (!out.write(piece)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}
