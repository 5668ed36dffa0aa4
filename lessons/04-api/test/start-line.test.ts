import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tsxImportArgs } from '@course/shared/bench';

const entry = fileURLToPath(new URL('../src/server.ts', import.meta.url));

/** Starts `npm start`'s entry with `env`, returns its first stdout line, and stops it. */
async function startLine(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [...tsxImportArgs, entry], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DB_PATH: ':memory:', SEED_COUNT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('\n')) resolve(text.split('\n', 1)[0]!);
      });
      child.once('exit', (code) => reject(new Error(`exited (${code}) before printing a line: ${text}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('npm start', () => {
  it.each([
    [{ CATALOG_CACHE: 'off' }, /^lesson-04 \(\/catalog serialized per request, CATALOG_CACHE=off\) listening on http:\/\/127\.0\.0\.1:\d+/],
    [{}, /^lesson-04 \(\/catalog cached as one Buffer, CATALOG_CACHE=on\) listening on http:\/\/127\.0\.0\.1:\d+/],
  ])('with %j says which /catalog variant runs in its start line', async (env, line) => {
    expect(await startLine(env)).toMatch(line);
  }, 60_000);
});
