/**
 * Creates the file the streams part downloads: `cd lessons/07-optimize && npm run make:file -- --mb 200`.
 * It goes to data/lesson-07/ (git-ignored); it is never committed.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultFilesDir, makeFile } from '../src/files.ts';

let mb = 200;
try {
  const { values } = parseArgs({ options: { mb: { type: 'string' } }, args: process.argv.slice(2).filter((a) => a !== '--') });
  if (values.mb !== undefined) mb = Number(values.mb);
  if (!Number.isInteger(mb) || mb < 1 || mb > 1024) throw new Error(`--mb must be a whole number from 1 to 1024, got "${values.mb}"`);
} catch (error) {
  console.error(`make-big-file: ${(error as Error).message}`);
  process.exit(2);
}
const path = await makeFile(join(defaultFilesDir, `big-${mb}mb.bin`), mb * 1024 * 1024, (message) => console.log(message));
console.log(`${path} (${mb} MiB)`);
