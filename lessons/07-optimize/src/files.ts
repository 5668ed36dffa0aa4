/**
 * The large file the download routes serve: generated, never committed.
 */
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { once } from 'node:events';
import { repoRoot } from '@course/shared';

/** Default folder for generated files (inside the repo's ignored data/ folder). */
export const defaultFilesDir = join(repoRoot, 'data', 'lesson-07');

/** How to remove what {@link makeFile} wrote, for the message it prints first. */
export const removeHint = `rm -rf ${relative(process.cwd(), defaultFilesDir) || '.'}`;

/**
 * Writes `bytes` of deterministic, incompressible-looking data to `path`, 1 MiB at a time,
 * honouring backpressure; skips the work when a file of that size is already there. Before it
 * writes anything, it tells `announce` what, where and how to remove it (a reader should not
 * find 200 MiB on their disk without a word).
 * @returns the path
 */
export async function makeFile(path: string, bytes: number, announce: (message: string) => void = () => {}): Promise<string> {
  if (existsSync(path) && statSync(path).size === bytes) return path;
  announce(`writing ${relative(process.cwd(), path)} (${(bytes / 1048576).toFixed(0)} MiB, git-ignored, made once and reused); remove it with: ${path.startsWith(defaultFilesDir) ? removeHint : `rm ${path}`}`);
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
